namespace MlOps.Reports;

/// <summary>
/// The order of a report's features: drifted first, then by how far each is past (or short of) its threshold, the
/// features that could not be evaluated last, ties by name. "How far" is statistic / threshold for distances and
/// threshold / p-value for tests (a smaller p-value is stronger evidence), so both read "&gt; 1 is drift".
/// </summary>
public static class FeatureOrder
{
    /// <summary>The features sorted for display.</summary>
    public static IReadOnlyList<FeatureReport> Sort(IEnumerable<FeatureReport> features) =>
        [.. features
            .OrderBy(f => f.Statistic is null ? 1 : 0)
            .ThenByDescending(f => f.Drifted)
            .ThenByDescending(Severity)
            .ThenBy(f => f.Name, StringComparer.Ordinal)];

    /// <summary>How far past its threshold a feature is (&gt; 1 past, &lt; 1 short of it); 0 when not evaluated.</summary>
    public static double Severity(FeatureReport feature)
    {
        ArgumentNullException.ThrowIfNull(feature);
        if (feature.Statistic is not { } statistic || feature.Threshold is not { } threshold || !(threshold > 0))
            return 0;
        if (feature.PValue is { } p)
            return p > 0 ? threshold / p : double.MaxValue;
        return double.IsFinite(statistic) ? statistic / threshold : 0;
    }
}
