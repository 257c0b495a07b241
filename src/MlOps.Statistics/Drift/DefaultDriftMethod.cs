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
    /// <param name="distinct">
    /// Distinct non-missing values of the reference and the current data <b>together</b>, as Evidently counts them
    /// (<c>pd.concat([reference, current]).nunique()</c>); any number above 5 means "many".
    /// </param>
    public static DriftMethod Choose(long referenceRows, ColumnKind kind, long distinct)
    {
        if (referenceRows <= SmallReferenceRows)
        {
            if (kind == ColumnKind.Numeric && distinct > 5)
                return DriftMethod.KolmogorovSmirnov;
            return distinct > 2 ? DriftMethod.ChiSquare : DriftMethod.ZTest;
        }

        return kind == ColumnKind.Numeric && distinct > 5 ? DriftMethod.Wasserstein : DriftMethod.JensenShannon;
    }

    /// <summary>The most distinct values the rule ever needs to tell apart (above 5 is "many").</summary>
    public const int DistinctThatMatter = 6;

    /// <summary>Dataset drift: the share of drifted features is at least <paramref name="shareThreshold"/> (default 0.5).</summary>
    public static bool IsDatasetDrift(int driftedFeatures, int features, double shareThreshold = 0.5) =>
        features > 0 && (double)driftedFeatures / features >= shareThreshold;
}
