using System.ComponentModel.DataAnnotations;

namespace MlOps.Contracts.Monitoring;

/// <summary>How the monitor watches a model: window size and per-feature drift overrides.</summary>
/// <remarks>
/// Properties with a default have <c>set</c>, not <c>init</c>: System.Text.Json source generation passes default(T)
/// for an init-only property missing from the JSON, losing the initializer (dotnet/runtime#84484).
/// </remarks>
public sealed record MonitoringConfig
{
    /// <summary>Tumbling event-time window in minutes (default 5; fractions allowed, e.g. 0.5 for demos).</summary>
    [Range(0.05, 7 * 24 * 60)]
    public double WindowMinutes { get; set; } = 5;

    /// <summary>
    /// Low-traffic models: a window is evaluated only once it holds at least this many predictions; an under-filled
    /// window is carried into the next one (0: every window is evaluated).
    /// </summary>
    [Range(0, int.MaxValue)]
    public int CountTrigger { get; init; }

    /// <summary>How late an event may arrive and still update its window.</summary>
    [Range(0.0, 7 * 24 * 60)]
    public double AllowedLatenessMinutes { get; set; } = 10;

    /// <summary>Share of drifted features at which the dataset counts as drifted (default 0.5).</summary>
    [Range(0.0, 1.0)]
    public double DatasetDriftShare { get; set; } = 0.5;

    /// <summary>Per-feature method and threshold overrides (feature → override).</summary>
    [Required]
    public Dictionary<string, FeatureMonitoring> Features { get; set; } = [];
}

/// <summary>One feature's drift method and/or threshold, replacing Evidently's defaults.</summary>
public sealed record FeatureMonitoring
{
    /// <summary>ks, wasserstein, psi, jensenshannon, chisquare, hellinger or ztest.</summary>
    public string? Method { get; init; }

    /// <summary>The threshold for the method.</summary>
    public double? Threshold { get; init; }
}
