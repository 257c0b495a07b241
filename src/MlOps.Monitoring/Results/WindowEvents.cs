using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Monitoring;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;

namespace MlOps.Monitoring.Results;

/// <summary>
/// The bus events a closed window raises: <see cref="DriftDetected"/> when the dataset drifted,
/// <see cref="PerformanceDegraded"/> when the primary metric fell below the version's training value (else the
/// champion's) by more than the tolerance, <see cref="DataQualityDegraded"/> when the window had data-quality
/// problems. The closer writes them to the outbox in the window's transaction; <see cref="OutboxRelay"/> publishes them.
/// </summary>
public sealed partial class WindowEvents(IOptions<MonitoringOptions> options, ILogger<WindowEvents> logger)
{
    private readonly MonitoringOptions _options = options.Value;

    public IReadOnlyList<object> For(WindowResult r, ModelContext model)
    {
        var events = new List<object>();
        var drifted = r.Features.Where(f => f.Drifted).Select(f => f.Name).ToList();
        if (drifted.Count > 0)
            LogDrift(r.Model, r.Version, r.WindowStart, r.DriftedShare, string.Join(", ", drifted));
        if (r.DatasetDrift)
        {
            events.Add(new DriftDetected
            {
                Model = r.Model,
                Version = r.Version,
                WindowStart = r.WindowStart,
                WindowEnd = r.WindowEnd,
                DriftedShare = r.DriftedShare,
                DriftedFeatures = drifted,
                Rows = r.Rows,
            });
        }

        string metric = MetricNames.Primary(model.Schema.Task, hasScores: r.Performance.ContainsKey(MetricNames.RocAuc));
        if (r.Labelled >= _options.MinLabelledRows && r.Performance.TryGetValue(metric, out double value) && model.BaselineMetrics(r.Version).TryGetValue(metric, out double baseline)
            && MetricDirection.Improvement(metric, value, baseline) < -_options.PerformanceTolerance)
        {
            events.Add(new PerformanceDegraded
            {
                Model = r.Model,
                Version = r.Version,
                WindowStart = r.WindowStart,
                WindowEnd = r.WindowEnd,
                Metric = metric,
                Value = value,
                Baseline = baseline,
                LabelledRows = r.Labelled,
            });
        }

        if (r.DataQualityProblems.Count > 0)
        {
            events.Add(new DataQualityDegraded
            {
                Model = r.Model,
                Version = r.Version,
                WindowStart = r.WindowStart,
                WindowEnd = r.WindowEnd,
                Problems = r.DataQualityProblems,
            });
        }

        return events;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Drift: {Model} version {Version}, window {WindowStart:u}: drifted share {DriftedShare:0.###} ({Features})")]
    private partial void LogDrift(string model, string version, DateTimeOffset windowStart, double driftedShare, string features);
}
