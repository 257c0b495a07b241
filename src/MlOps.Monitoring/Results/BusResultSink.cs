using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Monitoring;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;

namespace MlOps.Monitoring.Results;

/// <summary>
/// Raises the monitor's bus events from a stored window: <see cref="DriftDetected"/> when the dataset drifted,
/// <see cref="PerformanceDegraded"/> when the primary metric fell below the version's training value (else the
/// champion's) by more than the tolerance, <see cref="DataQualityDegraded"/> when the window had data-quality problems.
/// </summary>
internal sealed partial class BusResultSink(IBus bus, IOptions<MonitoringOptions> options, ILogger<BusResultSink> logger) : IWindowResultSink
{
    private readonly MonitoringOptions _options = options.Value;

    public async Task OnClosedAsync(WindowResult r, ModelContext model, CancellationToken cancellationToken)
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

        string metric = MetricNames.Primary(model.Schema.Task, hasScores: r.Performance.ContainsKey(MetricNames.RocAuc));
        if (r.Labelled >= _options.MinLabelledRows && r.Performance.TryGetValue(metric, out double value) && model.BaselineMetrics(r.Version).TryGetValue(metric, out double baseline)
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

    public Task OnPerformanceUpdatedAsync(WindowResult result, CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: {Model} version {Version}, window {WindowStart:u}: drifted share {DriftedShare:0.###} ({Features})")]
    private partial void LogDrift(string model, string version, DateTimeOffset windowStart, double driftedShare, string features);
}
