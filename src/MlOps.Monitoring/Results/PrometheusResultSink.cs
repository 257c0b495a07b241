using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Metrics;

namespace MlOps.Monitoring.Results;

/// <summary>The only place window results become Prometheus series (drift per feature, drifted share, metrics, coverage, lag).</summary>
internal sealed class PrometheusResultSink(TimeProvider time) : IWindowResultSink
{
    public Task OnClosedAsync(WindowResult result, ModelContext model, CancellationToken cancellationToken)
    {
        MonitoringMetrics.WindowsClosed.WithLabels(result.Model).Inc();
        MonitoringMetrics.WindowLag.WithLabels(result.Model).Set((time.GetUtcNow() - result.WindowEnd).TotalSeconds);
        MonitoringMetrics.DatasetDriftedShare.WithLabels(result.Model, result.Version).Set(result.DriftedShare);
        if (result.NotEvaluatedReason is { } reason)
            MonitoringMetrics.WindowsUnevaluated.WithLabels(result.Model, reason).Inc();
        foreach (var f in result.Features.Where(f => f.Method is not null))
        {
            // A feature without a statistic has no score: its series is left out, not set to a made-up number.
            if ((f.PValue ?? f.Statistic) is { } score)
                MonitoringMetrics.FeatureDriftScore.WithLabels(result.Model, result.Version, f.Name, f.Method!).Set(score);
            MonitoringMetrics.FeatureDrifted.WithLabels(result.Model, result.Version, f.Name, f.Method!).Set(f.Drifted ? 1 : 0);
        }

        return OnPerformanceUpdatedAsync(result, cancellationToken);
    }

    public Task OnPerformanceUpdatedAsync(WindowResult result, CancellationToken cancellationToken)
    {
        MonitoringMetrics.LabelCoverage.WithLabels(result.Model, result.Version).Set(result.LabelCoverage);
        foreach (var (metric, value) in result.Performance)
            MonitoringMetrics.ModelMetric.WithLabels(result.Model, result.Version, metric).Set(value);
        return Task.CompletedTask;
    }
}
