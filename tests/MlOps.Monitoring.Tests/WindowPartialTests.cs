using MlOps.Contracts.Events;
using MlOps.Monitoring.Windows;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Tests;

/// <summary>A window partial counts a validated event's features by position exactly as it counts them by name.</summary>
public sealed class WindowPartialTests
{
    [Fact]
    public void Features_by_position_and_by_name_give_the_same_profiles_including_features_the_reference_or_the_event_lacks()
    {
        // The reference profiles a feature the schema does not declare, and lacks one it does (plan gets a plain profile).
        var reference = TestModels.Reference();
        var withExtra = new DatasetProfile();
        withExtra.AddFeature("age", reference.Features["age"]);
        withExtra.AddFeature("income", reference.Features["income"]);
        withExtra.AddFeature("retired", NumericProfile.Build([0, 1, 1]));
        withExtra.AddRows(reference.Rows);
        var model = TestModels.Context(withExtra);
        var layout = TestModels.Schema.FeatureLayout;
        var key = WindowKey.For("churn", "1", TestModels.Start, model.WindowSize);
        var byName = Partial(model, key);
        var byPosition = Partial(model, key);

        var random = new Random(3);
        for (int i = 0; i < 2_000; i++)
        {
            var e = TestModels.Prediction(i, TestModels.Start, random);
            var features = e.Features.Where(kv => i % 7 != 0 || kv.Key != "income").ToDictionary(StringComparer.Ordinal); // some leave income out
            var vector = new FeatureVector(layout);
            foreach (var (name, value) in features)
                Assert.True(vector.TryAdd(layout.PositionOf(name), value));
            byName.AddPrediction(features, e.Prediction, e.LatencyMs);
            byPosition.AddPrediction(vector, e.Prediction, e.LatencyMs);
        }

        Assert.Equal(WindowPartialSerializer.Serialize(byName), WindowPartialSerializer.Serialize(byPosition));
        Assert.Equal(2_000, byPosition.Features.Features["retired"].Missing);
    }

    private static WindowPartial Partial(Catalog.ModelContext model, WindowKey key)
    {
        var (features, referenceVersion) = model.NewFeatureProfile("1");
        return new WindowPartial(key, model.Schema.Task, features, model.NewPredictionProfile()) { ReferenceVersion = referenceVersion };
    }
}
