using MlOps.Contracts.Events;
using static MlOps.Contracts.Tests.Examples;

namespace MlOps.Contracts.Tests;

/// <summary>A validated event's features by position: the same answers as the dictionary it replaces.</summary>
public class FeatureVectorTests
{
    [Fact]
    public void A_validated_events_features_answer_by_name_like_a_dictionary_and_list_in_the_schemas_order()
    {
        // The record lists its features out of the schema's order and leaves one out.
        var e = ValidationAssert.Valid(Validator.ValidatePrediction(PredictionWith(o =>
        {
            var features = o["features"]!.AsObject();
            features.Clear();
            features["plan"] = "gold";
            features["age"] = 42;
            features["income"] = null;
            features["tenure_months"] = 12;
        })));

        var vector = Assert.IsType<FeatureVector>(e.Features);
        var byName = new Dictionary<string, Scalar>(StringComparer.Ordinal) { ["plan"] = Scalar.Of("gold"), ["age"] = Scalar.Of(42), ["income"] = Scalar.Missing, ["tenure_months"] = Scalar.Of(12) };
        Assert.Equal(byName.Count, vector.Count);
        foreach (string name in Churn.Features.Select(f => f.Name).Append("no-such-feature"))
        {
            Assert.Equal(byName.ContainsKey(name), vector.ContainsKey(name));
            Assert.Equal(byName.TryGetValue(name, out var expected), vector.TryGetValue(name, out var actual));
            Assert.Equal(expected, actual);
        }

        var order = Churn.Features.Select(f => f.Name).ToList();
        Assert.Equal(byName.Keys.OrderBy(order.IndexOf), vector.Keys);
        Assert.Equal(byName.OrderBy(kv => order.IndexOf(kv.Key)), vector);
        Assert.Equal(Scalar.Of(42), vector[Churn.FeatureLayout.PositionOf("age")]);
        Assert.Equal(Scalar.Missing, vector[Churn.FeatureLayout.PositionOf("is_student")]);
        Assert.Throws<KeyNotFoundException>(() => vector["is_student"]);
    }

    [Fact]
    public void A_feature_sent_twice_is_refused_and_keeps_its_first_value()
    {
        var vector = new FeatureVector(Churn.FeatureLayout);
        int age = Churn.FeatureLayout.PositionOf("age");

        Assert.True(vector.TryAdd(age, Scalar.Of(1)));
        Assert.False(vector.TryAdd(age, Scalar.Of(2)));
        Assert.Equal((1, Scalar.Of(1)), (vector.Count, vector["age"]));
        Assert.Equal(-1, Churn.FeatureLayout.PositionOf("Age"));
    }
}
