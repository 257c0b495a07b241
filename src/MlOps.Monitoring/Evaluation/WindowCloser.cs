using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Hosting;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Processing;
using MlOps.Monitoring.Results;
using MlOps.Monitoring.Windows;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Evaluation;

/// <summary>
/// Closes windows that every partition's watermark for their model has passed (window end + allowed lateness; see
/// <see cref="GroupWatermarks.Compute"/>): merges the partials of all partitions, carries under-filled
/// windows of low-traffic models forward, evaluates the rest against their reference (the version's own, else the
/// champion's) and stores each result
/// once (even with several monitor instances); then hands it to the <see cref="IWindowResultSink"/>s (Prometheus, bus).
/// Outcomes that arrive after their window was stored are folded into its performance here too.
/// </summary>
public sealed partial class WindowCloser(
    Database database,
    MonitorStateStore store,
    IModelCatalog catalog,
    MonitorTopology topology,
    GroupWatermarks groupWatermarks,
    WindowEvaluator evaluator,
    WindowEvents events,
    OutboxStore outbox,
    OutboxSignal outboxSignal,
    IEnumerable<IWindowResultSink> sinks,
    IOptions<MonitoringOptions> options,
    TimeProvider time,
    ILogger<WindowCloser> logger) : BackgroundService
{
    /// <summary>The partition number of a partial carried over from an under-filled window.</summary>
    public const int CarryPartition = -1;

    private readonly MonitoringOptions _options = options.Value;
    private readonly IWindowResultSink[] _sinks = [.. sinks];

    // Once per model and reason: the count is in mlops_windows_unevaluated_total, the reason in every result.
    private readonly HashSet<(string Model, string Reason)> _unevaluatedLogged = [];

    /// <summary>Raised after a window is stored (the console of <c>mlops demo</c> shows it).</summary>
    public event Action<WindowResult>? WindowClosed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CloseInterval, time);
        // The consumer reads the whole catalog as it starts; the closer re-reads it from then on.
        var refreshed = time.GetUtcNow();
        do
        {
            try
            {
                if (time.GetUtcNow() - refreshed >= _options.CatalogRefreshInterval)
                {
                    refreshed = time.GetUtcNow();
                    await RefreshCatalogAsync(stoppingToken);
                }

                await CloseWindowsAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogCloseFailed(e);
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }

    private async Task RefreshCatalogAsync(CancellationToken cancellationToken)
    {
        try
        {
            await catalog.RefreshAllAsync(cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or InvalidOperationException or Client.MlOpsApiException)
        {
            // Windows of the cached models still close.
            if (e is not NotListeningYetException)
                LogCatalogRefreshFailed(e.Message);
        }
    }

    /// <summary>Closes every window its model's group watermark has passed; returns the results stored by this call.</summary>
    public async Task<IReadOnlyList<WindowResult>> CloseWindowsAsync(CancellationToken cancellationToken)
    {
        int expected = topology.Partitions;
        if (expected == 0)
            return [];
        List<PartialRow> closable;
        Dictionary<string, long> byModel;
        long others;
        await using (var c = await database.OpenAsync(cancellationToken))
        {
            var computed = GroupWatermarks.Compute(
                await store.LoadPartitionWatermarksAsync(c, _options.ConsumerGroup),
                await store.LoadModelWatermarksAsync(c, _options.ConsumerGroup),
                expected,
                time.GetUtcNow().ToUnixTimeMilliseconds(),
                _options.IdleTimeout);
            if (computed is null)
                return [];
            (byModel, others) = computed.Value;
            groupWatermarks.Set(byModel);
            closable = [.. await store.LoadClosablePartialsAsync(c, _options.ConsumerGroup, byModel.Values.Append(others).Max())];
        }

        var closed = new List<WindowResult>();
        var carried = new HashSet<(string Model, string Version)>();
        foreach (var group in closable.GroupBy(p => new WindowKey(p.Model, p.Version, p.WindowStart, p.WindowEnd)).OrderBy(g => g.Key.Start))
        {
            var model = catalog.Find(group.Key.Model);
            long watermark = byModel.TryGetValue(group.Key.Model, out long own) ? own : others;
            if (model is null || group.Key.End + (long)model.AllowedLateness.TotalMilliseconds > watermark)
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
            // The window and the bus events it raises commit together (the outbox): a crash before they are published
            // loses nothing, the relay sends them after the restart.
            var raised = events.For(result, model).Select(e => OutboxMessages.ToRow(e, _options.ConsumerGroup, now.ToUnixTimeMilliseconds())).ToList();
            bool stored = await database.InTransactionAsync(async (c, tx) =>
            {
                if (!await store.CloseWindowAsync(c, tx, Row(result, group.Key, merged, now)))
                    return false;
                await outbox.AddAsync(c, tx, raised);
                return true;
            }, cancellationToken);
            if (!stored)
                continue;
            if (raised.Count > 0)
                outboxSignal.Notify();

            if (result.NotEvaluatedReason is { } reason && _unevaluatedLogged.Add((result.Model, reason)))
                LogNotEvaluated(result.Model, result.Version, result.NotEvaluated!);
            foreach (var sink in _sinks)
                await sink.OnClosedAsync(result, model, cancellationToken);
            WindowClosed?.Invoke(result);
        }

        await FoldLateLabelsAsync(cancellationToken);
        return closed;
    }

    private WindowResultRow Row(WindowResult result, WindowKey key, WindowPartial merged, DateTimeOffset now) => new()
    {
        ConsumerGroup = _options.ConsumerGroup,
        Model = result.Model,
        Version = result.Version,
        WindowStart = key.Start,
        WindowEnd = key.End,
        ClosedAt = now.ToUnixTimeMilliseconds(),
        Predictions = result.Rows,
        Labelled = result.Labelled,
        DriftedShare = result.DriftedShare,
        DatasetDrift = result.DatasetDrift ? 1 : 0,
        ResultJson = JsonSerializer.Serialize(result, MonitoringJsonContext.Default.WindowResult),
        PerformanceState = WindowPartialSerializer.SerializePerformance(merged),
        // What the window's drift report draws once the partials are deleted (with this row, in one transaction).
        // Partials profiled on different references do not merge their features, so there is nothing true to keep.
        Profile = merged.MixedReferences ? null : WindowPartialSerializer.SerializeProfile(merged.Features),
    };

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

    /// <summary>Adds outcomes that arrived after their window closed to the stored window's performance.</summary>
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
                    var result = FiniteResults.Sanitize(previous with
                    {
                        Labelled = total.Labelled,
                        LabelCoverage = previous.Rows == 0 ? 0 : (double)total.Labelled / previous.Rows,
                        Performance = WindowEvaluator.Performance(total),
                    });
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
                foreach (var sink in _sinks)
                    await sink.OnPerformanceUpdatedAsync(updated, cancellationToken);
            }
            catch (LateLabelConflictException)
            {
                // Another instance folded these rows at the same moment; its transaction counts, ours rolled back.
            }
        }

        return folded;
    }

    private sealed class LateLabelConflictException : Exception;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Re-reading the model catalog from the registry failed: {Reason}; the cached models stay in use")]
    private partial void LogCatalogRefreshFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Windows of model {Model} (version {Version}) are stored without drift: {Reason}. Counted in mlops_windows_unevaluated_total; logged once per model and reason")]
    private partial void LogNotEvaluated(string model, string version, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Closing windows failed; retrying at the next tick")]
    private partial void LogCloseFailed(Exception exception);
}
