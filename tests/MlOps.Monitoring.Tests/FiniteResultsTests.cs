using System.Text.Json;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Windows;

namespace MlOps.Monitoring.Tests;

public sealed class FiniteResultsTests
{
    // What the HTTP API uses: standard JSON, which has no NaN or infinity.
    private static readonly JsonSerializerOptions StrictJson = new(JsonSerializerDefaults.Web);

    [Fact]
    public void An_optional_feature_that_never_arrives_has_no_statistic_a_reason_and_a_missing_share_of_one()
    {
        var model = TestModels.Context(TestModels.Reference());
        var key = new WindowKey("churn", "1", TestModels.Start.ToUnixTimeMilliseconds(), TestModels.Start.AddMinutes(5).ToUnixTimeMilliseconds());
        var (profile, referenceVersion) = model.NewFeatureProfile("1");
        var window = new WindowPartial(key, model.Schema.Task, profile, model.NewPredictionProfile()) { ReferenceVersion = referenceVersion };
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            var e = TestModels.Prediction(i, TestModels.Start.AddSeconds(i / 2.0), random);
            var features = e.Features.Where(kv => kv.Key != "income").ToDictionary(kv => kv.Key, kv => kv.Value);
            window.AddPrediction(features, e.Prediction, e.LatencyMs);
        }

        var result = new WindowEvaluator(Microsoft.Extensions.Options.Options.Create(new MonitoringOptions())).Evaluate(window, model, TestModels.Start.AddMinutes(6));

        var income = result.Features.Single(f => f.Name == "income");
        Assert.Null(income.Statistic);
        Assert.Null(income.PValue);
        Assert.False(income.Drifted);
        Assert.Equal("no values in this window", income.NotEvaluated);
        Assert.Equal(1.0, income.MissingShare);
        Assert.Contains(result.DataQualityProblems, p => p.StartsWith("income: missing share 1", StringComparison.Ordinal));
        Assert.All(result.Features.Where(f => f.Name != "income"), f => Assert.NotNull(f.Statistic));
        // The API's serializer accepts it (it threw "NaN cannot be written" before).
        Assert.Contains("\"notEvaluated\":\"no values in this window\"", JsonSerializer.Serialize(result, StrictJson), StringComparison.Ordinal);
    }

    [Fact]
    public void A_result_stored_with_NaN_by_an_earlier_version_is_served_without_it()
    {
        const string stored = """
            {"model":"churn","version":"1","windowStart":"2026-11-27T10:00:00+00:00","windowEnd":"2026-11-27T10:05:00+00:00",
             "rows":10,"labelled":0,"labelCoverage":0,"driftedShare":0,"datasetDrift":false,
             "features":[{"name":"x","type":"categorical","method":"jensenshannon","statistic":"NaN","pValue":null,"threshold":0.1,
                          "drifted":false,"errorBound":0,"missingShare":1,"outOfRangeShare":null,"newCategories":[]}],
             "performance":{"r2":"NaN","accuracy":0.5},"latencyMs":{"p50":"Infinity"}}
            """;
        var legacy = JsonSerializer.Deserialize(stored, MonitoringJsonContext.Default.WindowResult)!;
        var served = FiniteResults.Sanitize(legacy);
        Assert.Null(served.Features[0].Statistic);
        Assert.Equal(FiniteResults.UndefinedStatistic, served.Features[0].NotEvaluated);
        Assert.Equal(["accuracy"], served.Performance.Keys);
        Assert.Empty(served.LatencyMs);
        Assert.Throws<ArgumentException>(() => JsonSerializer.Serialize(legacy, StrictJson));
        _ = JsonSerializer.Serialize(served, StrictJson);
    }
}
