namespace MlOps.Statistics.Drift;

/// <summary>
/// Evidently's rule for the default drift test of a column, so users moving from Evidently get the same verdicts
/// (<c>evidently.calculations.stattests.registry._get_default_stattest</c>).
/// </summary>
public static class DefaultDriftMethod
{
    /// <summary>The reference size up to which p-value tests are used.</summary>
    public const long SmallReferenceRows = 1000;

    /// <summary>
    /// The default method for a column.
    /// </summary>
    /// <param name="referenceRows">Non-missing reference values (Evidently drops NaN before choosing).</param>
    /// <param name="kind">Numeric or categorical.</param>
    /// <param name="referenceDistinct">Distinct non-missing reference values; any number above 5 means "many".</param>
    public static DriftMethod Choose(long referenceRows, ColumnKind kind, long referenceDistinct)
    {
        if (referenceRows <= SmallReferenceRows)
        {
            if (kind == ColumnKind.Numeric && referenceDistinct > 5)
                return DriftMethod.KolmogorovSmirnov;
            return referenceDistinct > 2 ? DriftMethod.ChiSquare : DriftMethod.ZTest;
        }

        return kind == ColumnKind.Numeric && referenceDistinct > 5 ? DriftMethod.Wasserstein : DriftMethod.JensenShannon;
    }

    /// <summary>Dataset drift: the share of drifted features is at least <paramref name="shareThreshold"/> (default 0.5).</summary>
    public static bool IsDatasetDrift(int driftedFeatures, int features, double shareThreshold = 0.5) =>
        features > 0 && (double)driftedFeatures / features >= shareThreshold;
}
