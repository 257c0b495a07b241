using MlOps.Contracts.Metrics;
using MlOps.Contracts.Schemas;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Windows;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Evaluation;

/// <summary>Turns a window's merged partial into its result: drift against the champion's reference, performance, data quality.</summary>
public sealed class WindowEvaluator(Microsoft.Extensions.Options.IOptions<MonitoringOptions> monitoringOptions)
{
    private readonly MonitoringOptions options = monitoringOptions.Value;

    public WindowResult Evaluate(WindowPartial window, ModelContext model, DateTimeOffset closedAt)
    {
        var features = new List<FeatureWindowResult>();
        DatasetDrift? drift = null;
        if (model.Reference is { } reference)
        {
            drift = reference.EvaluateDrift(window.Features, model.Overrides, model.Monitoring.DatasetDriftShare);
            foreach (var f in drift.Features)
            {
                var current = window.Features.Features[f.Feature];
                reference.Features.TryGetValue(f.Feature, out var referenceProfile);
                features.Add(FiniteResults.Sanitize(new FeatureWindowResult(
                    f.Feature,
                    f.Kind == ColumnKind.Numeric ? "numeric" : "categorical",
                    DriftMethods.Name(f.Result.Method),
                    f.Result.Statistic,
                    f.Result.PValue,
                    f.Result.Threshold,
                    f.Result.Drifted,
                    f.ErrorBound,
                    current.Rows == 0 ? 0 : (double)current.Missing / current.Rows,
                    OutOfRange(current),
                    NewCategories(current, referenceProfile))
                {
                    NotEvaluated = current.Count == 0 ? "no values in this window"
                        : referenceProfile is null || referenceProfile.Count == 0 ? "no values in the reference profile"
                        : null,
                }));
            }
        }

        var performance = Performance(window);
        var result = new WindowResult
        {
            Model = window.Key.Model,
            Version = window.Key.Version,
            WindowStart = window.Key.StartTime,
            WindowEnd = window.Key.EndTime,
            ClosedAt = closedAt,
            CarriedFrom = window.CarriedFrom is { } from ? DateTimeOffset.FromUnixTimeMilliseconds(from) : null,
            ReferenceVersion = model.Reference is null ? null : model.ChampionVersion,
            Rows = window.Rows,
            Labelled = window.Labelled,
            LabelCoverage = window.Rows == 0 ? 0 : (double)window.Labelled / window.Rows,
            Features = features,
            DriftedShare = drift?.DriftedShare ?? 0,
            DatasetDrift = drift?.IsDrifted ?? false,
            Performance = performance,
            PredictedLabels = window.Predictions is CategoricalProfile labels ? new Dictionary<string, long>(labels.Counts) : new Dictionary<string, long>(),
            LatencyMs = window.Latency.Count == 0 ? new Dictionary<string, double>() : new Dictionary<string, double>
            {
                ["p50"] = window.Latency.Sketch.Quantile(0.5),
                ["p95"] = window.Latency.Sketch.Quantile(0.95),
                ["p99"] = window.Latency.Sketch.Quantile(0.99),
            },
        };
        result = FiniteResults.Sanitize(result);
        return result with { DataQualityProblems = Problems(result) };
    }

    private List<string> Problems(WindowResult r)
    {
        var problems = new List<string>();
        foreach (var f in r.Features)
        {
            if (f.MissingShare > options.MissingShareLimit)
                problems.Add($"{f.Name}: missing share {f.MissingShare:0.###} > {options.MissingShareLimit:0.###}");
            if (f.OutOfRangeShare > options.OutOfRangeShareLimit)
                problems.Add($"{f.Name}: out-of-reference-range share {f.OutOfRangeShare:0.###} > {options.OutOfRangeShareLimit:0.###}");
            if (f.NewCategories.Count > 0)
                problems.Add($"{f.Name}: new categories {string.Join(", ", f.NewCategories.Take(5))}");
        }

        return problems;
    }

    private static double? OutOfRange(FeatureProfile current)
    {
        if (current is not NumericProfile { Binning: { ByValue: false }, Count: > 0 } n)
            return null;
        var slots = n.BinCounts;
        return (double)(slots[0] + slots[^1]) / n.Count;
    }

    private static IReadOnlyList<string> NewCategories(FeatureProfile current, FeatureProfile? reference)
    {
        if (current is not CategoricalProfile c || reference is not CategoricalProfile r)
            return [];
        return [.. c.Counts.Keys.Where(k => !r.Counts.ContainsKey(k)).Order(StringComparer.Ordinal).Take(20)];
    }

    /// <summary>The realised metrics of a partial's accumulators.</summary>
    public static Dictionary<string, double> Performance(WindowPartial window)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        switch (window.Task)
        {
            case ModelTask.Binary when window.Binary is { Count: > 0 } b:
                var m = b.ToMetrics();
                metrics[MetricNames.Accuracy] = m.Accuracy;
                metrics[MetricNames.Precision] = m.Precision;
                metrics[MetricNames.Recall] = m.Recall;
                metrics[MetricNames.F1] = m.F1;
                if (m.RocAuc is { } auc)
                    metrics[MetricNames.RocAuc] = auc;
                if (m.LogLoss is { } logLoss)
                    metrics[MetricNames.LogLoss] = logLoss;
                if (m.Brier is { } brier)
                    metrics[MetricNames.Brier] = brier;
                break;
            case ModelTask.Multiclass when window.Multiclass is { Count: > 0 } mc:
                var mm = mc.ToMetrics();
                metrics[MetricNames.Accuracy] = mm.Accuracy;
                metrics[MetricNames.MacroPrecision] = mm.MacroPrecision;
                metrics[MetricNames.MacroRecall] = mm.MacroRecall;
                metrics[MetricNames.MacroF1] = mm.MacroF1;
                break;
            case ModelTask.Regression when window.Regression is { Count: > 0 } rg:
                var rm = rg.ToMetrics();
                metrics[MetricNames.Mae] = rm.Mae;
                metrics[MetricNames.Rmse] = rm.Rmse;
                metrics[MetricNames.R2] = rm.R2;
                metrics[MetricNames.MeanError] = rm.MeanError;
                break;
        }

        return metrics;
    }
}
