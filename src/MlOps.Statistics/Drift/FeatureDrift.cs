namespace MlOps.Statistics.Drift;

/// <summary>A drift result for a named feature, with how far the statistic can be from the exact sample value.</summary>
/// <param name="Feature">The feature name.</param>
/// <param name="Kind">Numeric or categorical.</param>
/// <param name="Result">Statistic, p-value, threshold and verdict.</param>
/// <param name="ErrorBound">
/// 0 for exact computations; for profile-based ones the largest possible |statistic − exact statistic| on the same
/// data (KS: the gap the sketch buckets leave; Wasserstein: α·(mean|x_ref| + mean|x_cur|)/scale).
/// </param>
public readonly record struct FeatureDrift(string Feature, ColumnKind Kind, DriftResult Result, double ErrorBound = 0);
