using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Schemas;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Metrics;
using MlOps.Monitoring.Windows;
using MlOps.Registry.Models;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Evaluation;

/// <summary>
/// Closes windows that every partition has made final: merges the partials of all partitions, evaluates them against
/// the champion's reference, stores the result (once, even with several monitor instances), updates the Prometheus
/// series and publishes <see cref="DriftDetected"/>, <see cref="PerformanceDegraded"/> and <see cref="DataQualityDegraded"/>.
/// </summary>
public sealed partial class WindowCloser(
    Database database,
    MonitorStateStore store,
    IModelCatalog catalog,
    MonitorTopology topology,
    WindowEvaluator evaluator,
    IPublishEndpoint bus,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<WindowCloser> logger) : BackgroundService
{
    /// <summary>The partition number of a partial carried over from an under-filled window.</summary>
    public const int CarryPartition = -1;

    private readonly MonitoringOptions _options = options.Value;

    /// <summary>Raised after a window is stored (the console of <c>mlops demo</c> shows it).</summary>
    public event Action<WindowResult>? WindowClosed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CloseInterval, time);
        int tick = 0;
        do
        {
            try
            {
                if (tick++ % 15 == 0)
                    await catalog.RefreshAllAsync(stoppingToken);
                await CloseDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCloseFailed(e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Closes every window that is due now; returns the results stored by this call.</summary>
    public async Task<IReadOnlyList<WindowResult>> CloseDueAsync(CancellationToken cancellationToken)
    {
        int expected = topology.Partitions;
        if (expected == 0)
            return [];
        List<PartialRow> due;
        long sealedUntil;
        await using (var c = await database.OpenAsync(cancellationToken))
        {
            var (partitions, sealedMin) = await store.LoadSealedAsync(c, _options.ConsumerGroup);
            if (partitions < expected || sealedMin is null)
                return [];
            sealedUntil = sealedMin.Value;
            due = [.. await store.LoadDueAsync(c, _options.ConsumerGroup, sealedUntil)];
        }

        var closed = new List<WindowResult>();
        var carried = new HashSet<(string Model, string Version)>();
        foreach (var group in due.GroupBy(p => new WindowKey(p.Model, p.Version, p.WindowStart, p.WindowEnd)).OrderBy(g => g.Key.Start))
        {
            var model = catalog.Find(group.Key.Model);
            if (model is null || group.Key.End + (long)model.AllowedLateness.TotalMilliseconds > sealedUntil)
                continue;
            // A carry just changed the next window: it is read again, complete, at the next tick.
            if (carried.Contains((group.Key.Model, group.Key.Version)))
                continue;
            var merged = WindowPartialSerializer.Deserialize(group.Key, group.First().Payload);
            foreach (var row in group.Skip(1))
                merged.Merge(WindowPartialSerializer.Deserialize(group.Key, row.Payload));
            var now = time.GetUtcNow();
            if (model.Monitoring.CountTrigger > 0 && merged.Rows < model.Monitoring.CountTrigger)
            {
                // Too few predictions to judge (a low-traffic model): carry them into the next window instead.
                await CarryAsync(merged, cancellationToken);
                carried.Add((group.Key.Model, group.Key.Version));
                continue;
            }

            var result = evaluator.Evaluate(merged, model, now);
            bool stored = await database.InTransactionAsync((c, tx) => store.CloseWindowAsync(c, tx, new WindowResultRow
            {
                ConsumerGroup = _options.ConsumerGroup,
                Model = result.Model,
                Version = result.Version,
                WindowStart = group.Key.Start,
                WindowEnd = group.Key.End,
                ClosedAt = now.ToUnixTimeMilliseconds(),
                Predictions = result.Rows,
                Labelled = result.Labelled,
                DriftedShare = result.DriftedShare,
                DatasetDrift = result.DatasetDrift ? 1 : 0,
                ResultJson = JsonSerializer.Serialize(result, MonitoringJsonContext.Default.WindowResult),
                PerformanceState = WindowPartialSerializer.SerializePerformance(merged),
            }), cancellationToken);
            if (!stored)
                continue;
            closed.Add(result);
            Export(result, now);
            await PublishAsync(result, model, cancellationToken);
            WindowClosed?.Invoke(result);
        }

        await FoldLateLabelsAsync(cancellationToken);
        return closed;
    }

    private Task CarryAsync(WindowPartial merged, CancellationToken cancellationToken)
    {
        var key = merged.Key;
        long size = key.End - key.Start;
        var next = new WindowKey(key.Model, key.Version, key.End, key.End + size);
        return database.InTransactionAsync(async (c, tx) =>
        {
            var moved = WindowPartialSerializer.Deserialize(next, WindowPartialSerializer.Serialize(merged));
            moved.CarriedFrom = merged.CarriedFrom ?? key.Start;
            // The next window may already hold a carry (never overwrite one: add to it).
            if (await store.GetPartialAsync(c, _options.ConsumerGroup, next.Model, next.Version, next.Start, CarryPartition, tx) is { } existing)
                moved.Merge(WindowPartialSerializer.Deserialize(next, existing.Payload));
            var row = new PartialRow
            {
                ConsumerGroup = _options.ConsumerGroup,
                Model = next.Model,
                Version = next.Version,
                WindowStart = next.Start,
                WindowEnd = next.End,
                Partition = CarryPartition,
                Payload = WindowPartialSerializer.Serialize(moved),
                UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
            };
            await store.CarryWindowAsync(c, tx, _options.ConsumerGroup, key.Model, key.Version, key.Start, row);
            return true;
        }, cancellationToken);
    }

    /// <summary>Adds outcomes that arrived after their window was final to the stored window's performance.</summary>
    public async Task<int> FoldLateLabelsAsync(CancellationToken cancellationToken)
    {
        List<LabelPartialRow> late;
        await using (var c = await database.OpenAsync(cancellationToken))
            late = [.. await store.LoadLateLabelsAsync(c, _options.ConsumerGroup)];
        int folded = 0;
        foreach (var group in late.GroupBy(l => new WindowKey(l.Model, l.Version, l.WindowStart, l.WindowEnd)))
        {
            var model = catalog.Find(group.Key.Model);
            if (model is null)
                continue;
            try
            {
                var updated = await database.InTransactionAsync(async (c, tx) =>
                {
                    var row = await store.GetResultAsync(c, _options.ConsumerGroup, group.Key.Model, group.Key.Version, group.Key.Start, tx);
                    if (row is null)
                        return (WindowResult?)null;
                    var total = new WindowPartial(group.Key, model.Schema.Task, new Statistics.Profiles.DatasetProfile(), model.NewPredictionProfile());
                    WindowPartialSerializer.AddPerformance(row.PerformanceState, total);
                    foreach (var labels in group)
                        WindowPartialSerializer.AddPerformance(labels.Payload, total);
                    var previous = JsonSerializer.Deserialize(row.ResultJson, MonitoringJsonContext.Default.WindowResult)!;
                    var result = previous with
                    {
                        Labelled = total.Labelled,
                        LabelCoverage = previous.Rows == 0 ? 0 : (double)total.Labelled / previous.Rows,
                        Performance = WindowEvaluator.Performance(total),
                    };
                    var newRow = new WindowResultRow
                    {
                        ConsumerGroup = row.ConsumerGroup,
                        Model = row.Model,
                        Version = row.Version,
                        WindowStart = row.WindowStart,
                        Labelled = result.Labelled,
                        ResultJson = JsonSerializer.Serialize(result, MonitoringJsonContext.Default.WindowResult),
                        PerformanceState = WindowPartialSerializer.SerializePerformance(total),
                    };
                    if (!await store.FoldLateLabelsAsync(c, tx, newRow, group))
                        throw new LateLabelConflictException();
                    return result;
                }, cancellationToken);
                if (updated is null)
                    continue;
                folded += group.Count();
                MonitoringMetrics.LabelCoverage.WithLabels(updated.Model, updated.Version).Set(updated.LabelCoverage);
                foreach (var (metric, value) in updated.Performance)
                    MonitoringMetrics.ModelMetric.WithLabels(updated.Model, updated.Version, metric).Set(value);
            }
            catch (LateLabelConflictException)
            {
                // Another instance folded these rows at the same moment; its transaction counts, ours rolled back.
            }
        }

        return folded;
    }

    private sealed class LateLabelConflictException : Exception;

    private static void Export(WindowResult r, DateTimeOffset now)
    {
        MonitoringMetrics.WindowsClosed.WithLabels(r.Model).Inc();
        MonitoringMetrics.WindowLag.WithLabels(r.Model).Set((now - r.WindowEnd).TotalSeconds);
        MonitoringMetrics.LabelCoverage.WithLabels(r.Model, r.Version).Set(r.LabelCoverage);
        MonitoringMetrics.DatasetDriftedShare.WithLabels(r.Model, r.Version).Set(r.DriftedShare);
        foreach (var f in r.Features)
        {
            MonitoringMetrics.FeatureDriftScore.WithLabels(r.Model, r.Version, f.Name, f.Method).Set(f.PValue ?? f.Statistic);
            MonitoringMetrics.FeatureDrifted.WithLabels(r.Model, r.Version, f.Name, f.Method).Set(f.Drifted ? 1 : 0);
        }

        foreach (var (metric, value) in r.Performance)
            MonitoringMetrics.ModelMetric.WithLabels(r.Model, r.Version, metric).Set(value);
    }

    private async Task PublishAsync(WindowResult r, ModelContext model, CancellationToken cancellationToken)
    {
        if (r.DatasetDrift || r.Features.Any(f => f.Drifted))
        {
            var drifted = r.Features.Where(f => f.Drifted).Select(f => f.Name).ToList();
            LogDrift(r.Model, r.Version, r.WindowStart, r.DriftedShare, string.Join(", ", drifted));
            if (r.DatasetDrift)
            {
                await bus.Publish(new DriftDetected
                {
                    Model = r.Model,
                    Version = r.Version,
                    WindowStart = r.WindowStart,
                    WindowEnd = r.WindowEnd,
                    DriftedShare = r.DriftedShare,
                    DriftedFeatures = drifted,
                    Rows = r.Rows,
                }, cancellationToken);
            }
        }

        string metric = PrimaryMetric(model.Schema.Task, r.Performance);
        if (r.Labelled >= _options.MinLabelledRows && r.Performance.TryGetValue(metric, out double value) && model.ChampionMetrics.TryGetValue(metric, out double baseline)
            && MetricDirection.Improvement(metric, value, baseline) < -_options.PerformanceTolerance)
        {
            await bus.Publish(new PerformanceDegraded
            {
                Model = r.Model,
                Version = r.Version,
                WindowStart = r.WindowStart,
                WindowEnd = r.WindowEnd,
                Metric = metric,
                Value = value,
                Baseline = baseline,
                LabelledRows = r.Labelled,
            }, cancellationToken);
        }

        if (r.DataQualityProblems.Count > 0)
        {
            await bus.Publish(new DataQualityDegraded
            {
                Model = r.Model,
                Version = r.Version,
                WindowStart = r.WindowStart,
                WindowEnd = r.WindowEnd,
                Problems = r.DataQualityProblems,
            }, cancellationToken);
        }
    }

    private static string PrimaryMetric(ModelTask task, IReadOnlyDictionary<string, double> performance) => task switch
    {
        ModelTask.Binary => performance.ContainsKey("roc_auc") ? "roc_auc" : "f1",
        ModelTask.Multiclass => "macro_f1",
        _ => "rmse",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: {Model} version {Version}, window {WindowStart:u}: drifted share {DriftedShare:0.###} ({Features})")]
    private partial void LogDrift(string model, string version, DateTimeOffset windowStart, double driftedShare, string features);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing windows failed; retrying at the next tick")]
    private partial void LogCloseFailed(Exception exception);
}
