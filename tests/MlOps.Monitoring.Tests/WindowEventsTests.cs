using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Monitoring;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Results;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// What the monitor tells the rest of the platform about a window: the events, checked field by field, go through the
/// outbox table and the relay to the bus (MassTransit's test harness) with stable message ids, once.
/// </summary>
public sealed class WindowEventsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = TestModels.Start;
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"mlops-outbox-{Guid.NewGuid():N}.db");
    private ServiceProvider _services = null!;
    private ITestHarness _harness = null!;
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection().AddMassTransitTestHarness().BuildServiceProvider(true);
        _harness = _services.GetRequiredService<ITestHarness>();
        await _harness.Start();
        _db = new Database(new StorageOptions { ConnectionString = $"Data Source={_file}" });
        await _db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _services.DisposeAsync();
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
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
        await RaiseAsync(result);
        Assert.Equal(3, await Relay().PublishPendingAsync(CancellationToken.None));

        var published = Assert.Single(_harness.Published.Select<DriftDetected>()).Context;
        Assert.Equal(OutboxMessages.MessageId("monitor", "churn", "1", Start, nameof(DriftDetected)), published.MessageId);
        var drift = published.Message;
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
        await RaiseAsync(calm);
        await RaiseAsync(fewLabels);
        Assert.Equal(0, await Relay().PublishPendingAsync(CancellationToken.None));

        Assert.False(await _harness.Published.Any<DriftDetected>());
        Assert.False(await _harness.Published.Any<PerformanceDegraded>());
        Assert.False(await _harness.Published.Any<DataQualityDegraded>());
    }

    [Fact]
    public async Task Each_event_is_published_once_with_the_same_id_however_often_the_window_raises_it()
    {
        var drifted = Window([Feature("age", drifted: true)], 1, true, new Dictionary<string, double>(), 0, []);
        await RaiseAsync(drifted);
        // The same window again (another monitor instance, a retry): the same id, so the outbox keeps one row.
        await RaiseAsync(drifted);

        Assert.Equal(1, await Relay().PublishPendingAsync(CancellationToken.None));
        Assert.Equal(0, await Relay().PublishPendingAsync(CancellationToken.None));
        string id = OutboxMessages.MessageId("monitor", "churn", "1", Start, nameof(DriftDetected)).ToString();
        await using var c = await _db.OpenAsync();
        var row = await new OutboxStore().GetAsync(c, id);
        Assert.NotNull(row!.PublishedAt);
        Assert.Equal(1, row.Attempts);
        Assert.Single(_harness.Published.Select<DriftDetected>());
    }

    private Task RaiseAsync(WindowResult result)
    {
        var events = new WindowEvents(Options.Create(new MonitoringOptions()), NullLogger<WindowEvents>.Instance).For(result, TestModels.Context(TestModels.Reference()));
        return _db.InTransactionAsync(async (c, tx) =>
        {
            await new OutboxStore().AddAsync(c, tx, events.Select(e => OutboxMessages.ToRow(e, "monitor", 1)));
            return true;
        });
    }

    private OutboxRelay Relay() => new(_db, new OutboxStore(), _harness.Bus, new OutboxSignal(), Options.Create(new MonitoringOptions()), Options.Create(new global::MlOps.Hosting.Bus.BusOptions()), TimeProvider.System, NullLogger<OutboxRelay>.Instance);

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
