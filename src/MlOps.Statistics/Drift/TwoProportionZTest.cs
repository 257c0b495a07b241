using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Drift;

/// <summary>
/// Two-proportion Z-test with pooled variance, two-sided, as Evidently's <c>z_stat_test</c>
/// (<c>proportions_diff_z_stat_ind</c> and <c>2·(1 − Φ(|z|))</c>).
/// </summary>
public static class TwoProportionZTest
{
    /// <summary>z and the two-sided p-value for the share of one category in each sample.</summary>
    public static (double Z, double PValue) Test(long referenceHits, long referenceTotal, long currentHits, long currentTotal)
    {
        if (referenceTotal <= 0 || currentTotal <= 0)
            throw new ArgumentException("Both samples need at least one value.");
        double p1 = (double)referenceHits / referenceTotal;
        double p2 = (double)currentHits / currentTotal;
        double pooled = (p1 * referenceTotal + p2 * currentTotal) / (referenceTotal + currentTotal);
        double se = Math.Sqrt(pooled * (1 - pooled) * (1.0 / referenceTotal + 1.0 / currentTotal));
        if (se == 0)
        {
            // Both samples hold one and the same value: Evidently returns p = 1 there.
            return (0.0, 1.0);
        }

        double z = (p1 - p2) / se;
        return (z, 2 * StandardNormal.Sf(Math.Abs(z)));
    }

    /// <summary>
    /// Runs the test on category counts (at most two categories with values, as Evidently applies it):
    /// the first category with a count is the one whose share is compared.
    /// </summary>
    public static DriftResult Test(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double? threshold = null)
    {
        if (referenceCounts.Length != currentCounts.Length)
            throw new ArgumentException("Both samples need the same categories.");
        long refTotal = 0, curTotal = 0;
        int target = -1;
        for (int k = 0; k < referenceCounts.Length; k++)
        {
            refTotal += referenceCounts[k];
            curTotal += currentCounts[k];
            if (target < 0 && referenceCounts[k] + currentCounts[k] > 0)
                target = k;
        }

        var (z, p) = target < 0 ? (0.0, 1.0) : Test(referenceCounts[target], refTotal, currentCounts[target], curTotal);
        return DriftMethods.Result(DriftMethod.ZTest, z, p, threshold);
    }
}
