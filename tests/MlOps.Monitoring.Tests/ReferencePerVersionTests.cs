using System.Text.Json;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Windows;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// A window of version V is compared with V's own reference when V has one, else with the champion's; a window that
/// cannot be compared says why, in words and as a reason code.
/// </summary>
public sealed class ReferencePerVersionTests
{
    private static readonly WindowEvaluator Evaluator = new(Microsoft.Extensions.Options.Options.Create(new MonitoringOptions()));

    // Version 1 (champion) has a reference; version 2 has its own, around older customers; version 3 has none.
    private static readonly DatasetProfile ChampionReference = TestModels.Reference(seed: 1);
    private static readonly DatasetProfile OlderReference = TestModels.Reference(seed: 2, ageShift: 25);

    private static ModelContext Model(string? champion = "1") => TestModels.Context() with
    {
        ChampionVersion = champion,
        Versions = new Dictionary<string, VersionReference>
        {
            ["1"] = new(ChampionReference, new Dictionary<string, double> { ["roc_auc"] = 0.8 }),
            ["2"] = new(OlderReference, new Dictionary<string, double> { ["roc_auc"] = 0.7 }),
            ["3"] = new(null, new Dictionary<string, double>()),
        },
    };

    [Fact]
    public void A_version_with_its_own_reference_is_compared_with_it_not_with_the_champions()
    {
        // Traffic of older customers: drifted against the champion's reference, not against version 2's own.
        var result = Evaluate(Model(), "2", ageShift: 25);

        Assert.Equal("2", result.ReferenceVersion);
        Assert.Equal("2", result.Drift!.ReferenceVersion);
        Assert.False(result.Features.Single(f => f.Name == "age").Drifted);
        Assert.Null(result.NotEvaluated);
        Assert.True(Evaluate(Model(), "1", ageShift: 25).Features.Single(f => f.Name == "age").Drifted);
    }

    [Fact]
    public void A_version_without_a_reference_is_compared_with_the_champions()
    {
        var result = Evaluate(Model(), "3", ageShift: 25);

        Assert.Equal("1", result.ReferenceVersion);
        Assert.Equal(["age"], result.Drift!.DriftedFeatures);
        Assert.Equal(result.DriftedShare, result.Drift.DriftedShare);
    }

    [Fact]
    public void Without_any_reference_the_window_says_why_and_still_reports_missing_values()
    {
        var model = Model(champion: null) with { Versions = new Dictionary<string, VersionReference> { ["3"] = new(null, new Dictionary<string, double>()) } };

        var result = Evaluate(model, "3", dropIncome: true);

        Assert.Null(result.Drift);
        Assert.Null(result.ReferenceVersion);
        Assert.Equal("no reference profile for version 3 and no champion", result.NotEvaluated);
        Assert.Equal(UnevaluatedReasons.NoReference, result.NotEvaluatedReason);
        Assert.Equal(500, result.Rows);
        Assert.All(result.Features, f => Assert.Equal(("no reference profile for version 3 and no champion", null, null), (f.NotEvaluated, f.Statistic, f.Method)));
        Assert.Equal(1.0, result.Features.Single(f => f.Name == "income").MissingShare);
        Assert.Contains(result.DataQualityProblems, p => p.StartsWith("income: missing share 1", StringComparison.Ordinal));
        var json = JsonSerializer.Serialize(result, MonitoringJsonContext.Default.WindowResult);
        Assert.Contains("\"drift\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"notEvaluated\":\"no reference profile for version 3 and no champion\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_champion_without_a_reference_is_named_in_the_reason()
    {
        var model = Model(champion: "3");

        Assert.Equal("no reference profile for version 4 nor for the champion (version 3)", Evaluate(model, "4").NotEvaluated);
    }

    [Fact]
    public void A_window_profiled_before_the_first_reference_was_known_is_not_compared_on_wrong_bins()
    {
        var before = Model(champion: null) with { Versions = new Dictionary<string, VersionReference>() };
        var window = Window(before, "3");
        Fill(window, ageShift: 0, dropIncome: false);

        var result = Evaluator.Evaluate(window, Model(), TestModels.Start.AddMinutes(6));

        Assert.Equal(UnevaluatedReasons.ProfiledBeforeReference, result.NotEvaluatedReason);
        Assert.Contains("version 1's reference", result.NotEvaluated, StringComparison.Ordinal);
        Assert.Null(result.Drift);
    }

    [Fact]
    public void Partials_profiled_on_different_champions_merge_their_counts_but_not_their_drift()
    {
        var first = Window(Model(champion: "1"), "3");
        var second = Window(Model(champion: "2") with { Versions = new Dictionary<string, VersionReference> { ["2"] = new(OlderReference, new Dictionary<string, double>()) } }, "3");
        Fill(first, 0, false);
        Fill(second, 0, false);

        first.Merge(second);
        var result = Evaluator.Evaluate(WindowPartialSerializer.Deserialize(first.Key, WindowPartialSerializer.Serialize(first)), Model(), TestModels.Start.AddMinutes(6));

        Assert.Equal(1000, result.Rows);
        Assert.Equal(UnevaluatedReasons.MixedReferences, result.NotEvaluatedReason);
        Assert.Null(result.Drift);
        Assert.Empty(result.Features);
    }

    [Fact]
    public void A_version_the_catalog_has_not_seen_yet_is_profiled_on_the_champions_bins()
    {
        var (_, referenceVersion) = Model().NewFeatureProfile("9");

        Assert.Equal("1", referenceVersion);
        Assert.Equal(0.7, Model().BaselineMetrics("2")["roc_auc"]);
        Assert.Equal(0.8, Model().BaselineMetrics("3")["roc_auc"]);
    }

    private static WindowResult Evaluate(ModelContext model, string version, double ageShift = 0, bool dropIncome = false)
    {
        var window = Window(model, version);
        Fill(window, ageShift, dropIncome);
        return Evaluator.Evaluate(window, model, TestModels.Start.AddMinutes(6));
    }

    private static WindowPartial Window(ModelContext model, string version)
    {
        var key = new WindowKey("churn", version, TestModels.Start.ToUnixTimeMilliseconds(), TestModels.Start.AddMinutes(5).ToUnixTimeMilliseconds());
        var (features, referenceVersion) = model.NewFeatureProfile(version);
        return new WindowPartial(key, model.Schema.Task, features, model.NewPredictionProfile()) { ReferenceVersion = referenceVersion };
    }

    private static void Fill(WindowPartial window, double ageShift, bool dropIncome)
    {
        var random = new Random(5);
        for (int i = 0; i < 500; i++)
        {
            var e = TestModels.Prediction(i, TestModels.Start.AddSeconds(i / 2.0), random, ageShift);
            var features = e.Features.Where(kv => !dropIncome || kv.Key != "income").ToDictionary(kv => kv.Key, kv => kv.Value);
            window.AddPrediction(features, e.Prediction, e.LatencyMs);
        }
    }
}
