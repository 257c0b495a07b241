namespace MlOps.Monitoring.Evaluation;

/// <summary>A closed window's evaluation, as stored and served by <c>GET /api/monitoring/{model}/windows</c>.</summary>
public sealed record WindowResult
{
    public required string Model { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public required DateTimeOffset WindowEnd { get; init; }

    public DateTimeOffset ClosedAt { get; init; }

    /// <summary>For count-triggered models: the start of the earliest (under-filled) window carried into this one.</summary>
    public DateTimeOffset? CarriedFrom { get; init; }

    /// <summary>
    /// The version whose reference profile the window was compared with: the window's own version when it has a
    /// reference, else the champion (null: not compared, see <see cref="NotEvaluated"/>).
    /// </summary>
    public string? ReferenceVersion { get; init; }

    /// <summary>The window's drift against <see cref="ReferenceVersion"/>; null when it was not evaluated (see <see cref="NotEvaluated"/>).</summary>
    public WindowDrift? Drift { get; init; }

    /// <summary>Why the window's drift was not evaluated (null when it was), e.g. "no reference profile for version 3 and no champion".</summary>
    public string? NotEvaluated { get; init; }

    /// <summary>The machine-readable form of <see cref="NotEvaluated"/> (one of <see cref="UnevaluatedReasons"/>; the label of <c>mlops_windows_unevaluated_total</c>).</summary>
    public string? NotEvaluatedReason { get; init; }

    public long Rows { get; init; }

    public long Labelled { get; init; }

    /// <summary>Labelled share of the window's predictions (0–1).</summary>
    public double LabelCoverage { get; init; }

    public IReadOnlyList<FeatureWindowResult> Features { get; init; } = [];

    public double DriftedShare { get; init; }

    public bool DatasetDrift { get; init; }

    /// <summary>Realised metrics of the labelled predictions (accuracy, f1, roc_auc, log_loss, mae, rmse, …).</summary>
    public IReadOnlyDictionary<string, double> Performance { get; init; } = new Dictionary<string, double>();

    /// <summary>Predicted label counts (classification).</summary>
    public IReadOnlyDictionary<string, long> PredictedLabels { get; init; } = new Dictionary<string, long>();

    /// <summary>Latency quantiles in milliseconds (p50, p95, p99), from the latency sketch (±1 %).</summary>
    public IReadOnlyDictionary<string, double> LatencyMs { get; init; } = new Dictionary<string, double>();

    /// <summary>Data-quality problems over the limits (empty when fine).</summary>
    public IReadOnlyList<string> DataQualityProblems { get; init; } = [];

    /// <summary>
    /// The relative URL of the window's HTML drift report (set by the windows API; never stored, so absent from
    /// stored results).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? ReportUrl { get; init; }
}

/// <summary>A window's drift against its reference.</summary>
public sealed record WindowDrift(string ReferenceVersion, double DriftedShare, bool DatasetDrift, IReadOnlyList<string> DriftedFeatures);

/// <summary>Why a window's drift was not evaluated (<see cref="WindowResult.NotEvaluatedReason"/>).</summary>
public static class UnevaluatedReasons
{
    /// <summary>Neither the window's version nor the champion has a reference profile.</summary>
    public const string NoReference = "no_reference";

    /// <summary>The window was profiled before its reference was known (the first champion came during the window).</summary>
    public const string ProfiledBeforeReference = "profiled_before_reference";

    /// <summary>The champion changed during the window, so its partitions were profiled on different references.</summary>
    public const string MixedReferences = "mixed_references";

    /// <summary>The reference the window was profiled on is no longer in the registry.</summary>
    public const string ReferenceGone = "reference_gone";
}

/// <summary>
/// One feature in a closed window. <see cref="Statistic"/> is null when the feature could not be tested, and
/// <see cref="NotEvaluated"/> says why (no values in this window, none in the reference, a statistic undefined for
/// the data): no NaN or infinity ever leaves the monitor.
/// </summary>
public sealed record FeatureWindowResult(
    string Name,
    string Type,
    string? Method,
    double? Statistic,
    double? PValue,
    double? Threshold,
    bool Drifted,
    double ErrorBound,
    double MissingShare,
    double? OutOfRangeShare,
    IReadOnlyList<string> NewCategories)
{
    /// <summary>Why the feature has no statistic (null when it has one).</summary>
    public string? NotEvaluated { get; init; }
}

/// <summary>Keeps every number of a result finite, also for results stored before that rule existed.</summary>
public static class FiniteResults
{
    /// <summary>The reason given for a statistic that came out NaN or infinite although both sides had values.</summary>
    public const string UndefinedStatistic = "the statistic is undefined for these data (e.g. a constant reference)";

    public static WindowResult Sanitize(WindowResult r) => r with
    {
        LabelCoverage = Finite(r.LabelCoverage),
        DriftedShare = Finite(r.DriftedShare),
        Drift = r.Drift is { } d ? d with { DriftedShare = Finite(d.DriftedShare) } : null,
        Features = [.. r.Features.Select(Sanitize)],
        Performance = Finite(r.Performance),
        LatencyMs = Finite(r.LatencyMs),
    };

    public static FeatureWindowResult Sanitize(FeatureWindowResult f)
    {
        bool undefined = f.Statistic is not { } s || !double.IsFinite(s);
        return f with
        {
            Statistic = undefined ? null : f.Statistic,
            Threshold = f.Threshold is { } t && double.IsFinite(t) ? t : null,
            PValue = undefined || f.PValue is not { } p || !double.IsFinite(p) ? null : f.PValue,
            Drifted = !undefined && f.Drifted,
            ErrorBound = Finite(f.ErrorBound),
            MissingShare = Finite(f.MissingShare),
            OutOfRangeShare = f.OutOfRangeShare is { } o && double.IsFinite(o) ? o : null,
            NotEvaluated = undefined ? f.NotEvaluated ?? UndefinedStatistic : f.NotEvaluated,
        };
    }

    private static double Finite(double value) => double.IsFinite(value) ? value : 0;

    private static Dictionary<string, double> Finite(IReadOnlyDictionary<string, double> values) =>
        values.Where(kv => double.IsFinite(kv.Value)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
}
