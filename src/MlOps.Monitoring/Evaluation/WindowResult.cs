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

    /// <summary>The champion version whose reference profile the window was compared with (null: no reference yet).</summary>
    public string? ReferenceVersion { get; init; }

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
}

/// <summary>One feature in a closed window.</summary>
public sealed record FeatureWindowResult(
    string Name,
    string Type,
    string Method,
    double Statistic,
    double? PValue,
    double Threshold,
    bool Drifted,
    double ErrorBound,
    double MissingShare,
    double? OutOfRangeShare,
    IReadOnlyList<string> NewCategories);
