namespace MlOps.Reports;

/// <summary>
/// One feature of a report: the test and its numbers exactly as computed (never rounded here), the missing share and
/// the reference and current distributions. <see cref="Statistic"/> is null when the feature was not evaluated, and
/// <see cref="NotEvaluated"/> says why.
/// </summary>
/// <param name="Name">The feature name (user data: the renderer encodes it).</param>
/// <param name="Type">numeric or categorical.</param>
public sealed record FeatureReport(string Name, string Type)
{
    /// <summary>The method's short name (ks, wasserstein, psi, jensenshannon, chisquare, hellinger, ztest).</summary>
    public string? Method { get; init; }

    public double? Statistic { get; init; }

    /// <summary>The p-value, for the tests that have one.</summary>
    public double? PValue { get; init; }

    public double? Threshold { get; init; }

    public bool Drifted { get; init; }

    /// <summary>Missing share of the current data (0–1).</summary>
    public double MissingShare { get; init; }

    /// <summary>Missing share of the reference, when known.</summary>
    public double? ReferenceMissingShare { get; init; }

    /// <summary>How far a statistic computed from profiles can be from the exact one (0 or null when exact).</summary>
    public double? ErrorBound { get; init; }

    /// <summary>Why the feature has no statistic (null when it has one).</summary>
    public string? NotEvaluated { get; init; }

    /// <summary>Reference and current distributions on the same bins, or null (see <see cref="PlotMissing"/>).</summary>
    public FeatureDistribution? Distribution { get; init; }

    /// <summary>Why <see cref="Distribution"/> is missing.</summary>
    public string? PlotMissing { get; init; }
}
