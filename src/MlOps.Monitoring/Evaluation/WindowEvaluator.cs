using MlOps.Contracts.Metrics;
using MlOps.Contracts.Schemas;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Windows;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Evaluation;

/// <summary>
/// Turns a window's merged partial into its result: drift against the reference its features were profiled on (the
/// version's own, else the champion's), performance, data quality. A window that cannot be compared says why.
/// </summary>
public sealed class WindowEvaluator(Microsoft.Extensions.Options.IOptions<MonitoringOptions> monitoringOptions)
{
    private readonly MonitoringOptions options = monitoringOptions.Value;

    public WindowResult Evaluate(WindowPartial window, ModelContext model, DateTimeOffset closedAt)
    {
        var (reference, reason, why) = ReferenceOf(window, model);
        var features = new List<FeatureWindowResult>();
        WindowDrift? drift = null;
        if (reference is { } r)
        {
            var dataset = r.Profile.EvaluateDrift(window.Features, model.Overrides, model.Monitoring.DatasetDriftShare);
            foreach (var f in dataset.Features)
            {
                var current = window.Features.Features[f.Feature];
                r.Profile.Features.TryGetValue(f.Feature, out var referenceProfile);
                features.Add(FiniteResults.Sanitize(new FeatureWindowResult(
                    f.Feature,
                    f.Kind == ColumnKind.Numeric ? "numeric" : "categorical",
                    DriftMethods.Name(f.Result.Method),
                    f.Result.Statistic,
                    f.Result.PValue,
                    f.Result.Threshold,
                    f.Result.Drifted,
                    f.ErrorBound,
                    MissingShare(current),
                    OutOfRange(current),
                    NewCategories(current, referenceProfile))
                {
                    NotEvaluated = current.Count == 0 ? "no values in this window"
                        : referenceProfile is null || referenceProfile.Count == 0 ? "no values in the reference profile"
                        : null,
                }));
            }

            drift = new WindowDrift(
                r.Version,
                double.IsFinite(dataset.DriftedShare) ? dataset.DriftedShare : 0,
                dataset.IsDrifted,
                [.. features.Where(f => f.Drifted).Select(f => f.Name)]);
        }
        else if (!window.MixedReferences)
        {
            // Nothing to compare with, but the window's own data quality (missing values) is still reported.
            foreach (var (name, current) in window.Features.Features.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                features.Add(new FeatureWindowResult(name, current is NumericProfile ? "numeric" : "categorical", null, null, null, null, false, 0, MissingShare(current), null, [])
                {
                    NotEvaluated = why,
                });
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
            ReferenceVersion = drift?.ReferenceVersion,
            Drift = drift,
            NotEvaluated = why,
            NotEvaluatedReason = reason,
            Rows = window.Rows,
            Labelled = window.Labelled,
            LabelCoverage = window.Rows == 0 ? 0 : (double)window.Labelled / window.Rows,
            Features = features,
            DriftedShare = drift?.DriftedShare ?? 0,
            DatasetDrift = drift?.DatasetDrift ?? false,
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

    /// <summary>
    /// The reference a window is compared with: the one whose bins its features were profiled on. Otherwise the reason
    /// code and the sentence that say why it is not compared.
    /// </summary>
    private static ((string Version, DatasetProfile Profile)? Reference, string? Reason, string? Why) ReferenceOf(WindowPartial window, ModelContext model)
    {
        string version = window.Key.Version;
        if (window.MixedReferences)
            return (null, UnevaluatedReasons.MixedReferences, "the champion changed while this window was open, so its partitions were profiled on different references; the next window is compared");
        if (window.ReferenceVersion is { } used)
        {
            return model.ReferenceProfile(used) is { } profile
                ? ((used, profile), null, null)
                : (null, UnevaluatedReasons.ReferenceGone, $"the reference profile of version {used}, which this window was profiled on, is no longer in the registry");
        }

        return model.ReferenceFor(version) is { } now
            ? (null, UnevaluatedReasons.ProfiledBeforeReference, $"this window began before a reference was known; windows from the next one on are compared with version {now.Version}'s reference")
            : (null, UnevaluatedReasons.NoReference, model.NoReferenceReason(version));
    }

    private static double MissingShare(FeatureProfile current) => current.Rows == 0 ? 0 : (double)current.Missing / current.Rows;

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
