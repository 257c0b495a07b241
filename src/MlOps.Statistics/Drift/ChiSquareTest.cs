using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Drift;

/// <summary>
/// Chi-square test of homogeneity on a 2 × k table of reference and current counts, as
/// <c>scipy.stats.chi2_contingency(table, correction=False)</c> after dropping all-zero columns.
/// </summary>
public static class ChiSquareTest
{
    /// <summary>χ², degrees of freedom and p-value.</summary>
    public static (double Statistic, int DegreesOfFreedom, double PValue) Homogeneity(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts)
    {
        if (referenceCounts.Length != currentCounts.Length)
            throw new ArgumentException("Both rows need the same categories.");
        long refTotal = 0, curTotal = 0;
        int columns = 0;
        for (int k = 0; k < referenceCounts.Length; k++)
        {
            refTotal += referenceCounts[k];
            curTotal += currentCounts[k];
            if (referenceCounts[k] + currentCounts[k] > 0)
                columns++;
        }

        int dof = columns - 1;
        if (dof <= 0 || refTotal == 0 || curTotal == 0)
            return (0.0, Math.Max(dof, 0), 1.0);

        double total = refTotal + curTotal;
        double chi2 = 0;
        for (int k = 0; k < referenceCounts.Length; k++)
        {
            long column = referenceCounts[k] + currentCounts[k];
            if (column == 0)
                continue;
            double expectedRef = refTotal * (double)column / total;
            double expectedCur = curTotal * (double)column / total;
            double dr = referenceCounts[k] - expectedRef, dc = currentCounts[k] - expectedCur;
            chi2 += dr * dr / expectedRef + dc * dc / expectedCur;
        }

        return (chi2, dof, ChiSquared.Sf(chi2, dof));
    }

    /// <summary>Runs the test with its verdict p &lt; threshold.</summary>
    public static DriftResult Test(ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double? threshold = null)
    {
        var (statistic, _, p) = Homogeneity(referenceCounts, currentCounts);
        return DriftMethods.Result(DriftMethod.ChiSquare, statistic, p, threshold);
    }
}
