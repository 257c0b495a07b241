using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Hosting;
using MlOps.Monitoring.Metrics;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Hosting;

/// <summary>
/// Once a minute: exports the size of the join state in the store (<c>mlops_join_state_rows</c>,
/// <c>mlops_join_state_bytes</c>) and prunes the labelled examples to their bounds (<see cref="MonitoringOptions.ExamplesPerModel"/>,
/// <see cref="MonitoringOptions.ExamplesRetention"/>).
/// </summary>
public sealed partial class JoinStateReporter(Database database, MonitorStateStore store, IOptions<MonitoringOptions> options, TimeProvider time, ILogger<JoinStateReporter> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        do
        {
            try
            {
                await ReportAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReportFailed(e.Message);
            }
        }
        while (await timer.TickAsync(stoppingToken));
    }

    /// <summary>Reads the counts now and sets the gauges.</summary>
    public async Task ReportAsync(CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var stats = await store.Join.StatsAsync(c, options.Value.ConsumerGroup);
        foreach (string gone in _reported.Except(stats.Select(s => s.Model)).ToList())
        {
            MonitoringMetrics.JoinStateRows.WithLabels(gone).Set(0);
            _reported.Remove(gone);
        }

        foreach (var (model, rows, _) in stats)
        {
            MonitoringMetrics.JoinStateRows.WithLabels(model).Set(rows);
            _reported.Add(model);
        }

        MonitoringMetrics.JoinStateBytes.Set(stats.Sum(s => s.Bytes));
        var o = options.Value;
        await store.Join.PruneExamplesAsync(c, o.ConsumerGroup, o.ExamplesPerModel, (time.GetUtcNow() - o.ExamplesRetention).ToUnixTimeMilliseconds());
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the join state's size failed: {Reason}; retrying in a minute")]
    private partial void LogReportFailed(string reason);
}
