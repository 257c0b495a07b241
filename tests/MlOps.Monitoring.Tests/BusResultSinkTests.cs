using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Monitoring;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Results;

namespace MlOps.Monitoring.Tests;

/// <summary>What the monitor tells the rest of the platform about a window, checked field by field on MassTransit's test harness.</summary>
public sealed class BusResultSinkTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = TestModels.Start;
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        _harness = _services.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task A_drifted_degraded_window_with_quality_problems_raises_the_three_events_with_their_content()
    {
        var result = Window(
            features: [Feature("age", drifted: true), Feature("income", drifted: true), Feature("plan", drifted: false)],
            driftedShare: 2.0 / 3,
            datasetDrift: true,
            performance: new Dictionary<string, double> { ["roc_auc"] = 0.61, ["f1"] = 0.4 },
            labelled: 400,
            problems: ["plan: new categories platinum"]);
        await Sink().OnClosedAsync(result, TestModels.Context(TestModels.Reference()), CancellationToken.None);

        var drift = Assert.Single(_harness.Published.Select<DriftDetected>()).Context.Message;
        Assert.Equal(("churn", "1", Start, Start.AddMinutes(5)), (drift.Model, drift.Version, drift.WindowStart, drift.WindowEnd));
        Assert.Equal(["age", "income"], drift.DriftedFeatures);
        Assert.Equal(2.0 / 3, drift.DriftedShare);
        Assert.Equal(1000, drift.Rows);

        // The champion's training ROC AUC is 0.8 (TestModels); 0.61 is worse by more than the 0.05 tolerance.
        var degraded = Assert.Single(_harness.Published.Select<PerformanceDegraded>()).Context.Message;
        Assert.Equal(("roc_auc", 0.61, 0.8, 400L), (degraded.Metric, degraded.Value, degraded.Baseline, degraded.LabelledRows));

        var quality = Assert.Single(_harness.Published.Select<DataQualityDegraded>()).Context.Message;
        Assert.Equal(["plan: new categories platinum"], quality.Problems);
    }

    [Fact]
    public async Task A_calm_window_raises_nothing_and_too_few_labels_never_judge_performance()
    {
        var calm = Window([Feature("age", drifted: false)], 0, false, new Dictionary<string, double> { ["roc_auc"] = 0.79 }, 400, []);
        var fewLabels = Window([Feature("age", drifted: true)], 1.0 / 3, false, new Dictionary<string, double> { ["roc_auc"] = 0.2 }, 10, []);
        await Sink().OnClosedAsync(calm, TestModels.Context(TestModels.Reference()), CancellationToken.None);
        await Sink().OnClosedAsync(fewLabels, TestModels.Context(TestModels.Reference()), CancellationToken.None);

        Assert.False(await _harness.Published.Any<DriftDetected>());
        Assert.False(await _harness.Published.Any<PerformanceDegraded>());
        Assert.False(await _harness.Published.Any<DataQualityDegraded>());
    }

    private BusResultSink Sink() =>
        new(_harness.Bus, Options.Create(new MonitoringOptions()), NullLogger<BusResultSink>.Instance);

    private static FeatureWindowResult Feature(string name, bool drifted) =>
        new(name, "numeric", "wasserstein", drifted ? 0.4 : 0.01, null, 0.1, drifted, 0, 0, 0, []);

    private static WindowResult Window(IReadOnlyList<FeatureWindowResult> features, double driftedShare, bool datasetDrift, Dictionary<string, double> performance, long labelled, IReadOnlyList<string> problems) => new()
    {
        Model = "churn",
        Version = "1",
        WindowStart = Start,
        WindowEnd = Start.AddMinutes(5),
        Rows = 1000,
        Labelled = labelled,
        Features = features,
        DriftedShare = driftedShare,
        DatasetDrift = datasetDrift,
        Performance = performance,
        DataQualityProblems = problems,
    };
}
