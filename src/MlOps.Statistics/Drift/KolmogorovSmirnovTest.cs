using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Drift;

/// <summary>Two-sample Kolmogorov–Smirnov test, two-sided, as <c>scipy.stats.ks_2samp</c>.</summary>
public static class KolmogorovSmirnovTest
{
    /// <summary>
    /// The statistic D = sup |F_ref − F_cur| of two <b>sorted</b> samples without NaN, evaluated at every
    /// data point with the same floating-point steps as SciPy (count/n per side, then the difference).
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent) =>
        SortedMerge.Walk(sortedReference, sortedCurrent).Statistic;

    /// <summary>
    /// D and the Wasserstein distance (<see cref="WassersteinDistance.Distance(ReadOnlySpan{double}, ReadOnlySpan{double})"/>)
    /// of two <b>sorted</b> samples without NaN from one walk over both: the same numbers, to the bit, as the two
    /// methods give one at a time, for about the time of one.
    /// </summary>
    public static (double Statistic, double Distance) StatisticAndDistance(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent) =>
        SortedMerge.Walk(sortedReference, sortedCurrent);

    /// <summary>
    /// D for two samples given as distinct increasing values with their counts (a profile's exact value counts),
    /// with the same floating-point steps as <see cref="Statistic(ReadOnlySpan{double}, ReadOnlySpan{double})"/>.
    /// </summary>
    public static double Statistic(ReadOnlySpan<double> referenceValues, ReadOnlySpan<long> referenceCounts, ReadOnlySpan<double> currentValues, ReadOnlySpan<long> currentCounts)
    {
        double n1 = Total(referenceCounts), n2 = Total(currentCounts);
        double maxDiff = double.NegativeInfinity, minDiff = double.PositiveInfinity;
        long c1 = 0, c2 = 0;
        int i = 0, j = 0;
        while (i < referenceValues.Length || j < currentValues.Length)
        {
            double x = i < referenceValues.Length && (j >= currentValues.Length || referenceValues[i] <= currentValues[j]) ? referenceValues[i] : currentValues[j];
            if (i < referenceValues.Length && referenceValues[i] == x)
                c1 += referenceCounts[i++];
            if (j < currentValues.Length && currentValues[j] == x)
                c2 += currentCounts[j++];
            double diff = c1 / n1 - c2 / n2;
            maxDiff = Math.Max(maxDiff, diff);
            minDiff = Math.Min(minDiff, diff);
        }

        return Math.Max(Math.Clamp(-minDiff, 0.0, 1.0), maxDiff);
    }

    internal static long Total(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (long c in counts)
            total += c;
        return total > 0 ? total : throw new ArgumentException("Both samples need at least one value.");
    }

    /// <summary>
    /// Runs the test on two sorted samples: D, SciPy's default p-value (exact when max(n, m) ≤ 10 000,
    /// else asymptotic) and the verdict p ≤ <paramref name="threshold"/>.
    /// </summary>
    public static DriftResult Test(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double? threshold = null) =>
        Test(sortedReference.Length, sortedCurrent.Length, Statistic(sortedReference, sortedCurrent), threshold);

    /// <summary>
    /// The test for a statistic already computed by <see cref="Statistic(ReadOnlySpan{double}, ReadOnlySpan{double})"/>
    /// on samples of <paramref name="referenceCount"/> and <paramref name="currentCount"/> values: SciPy's default p-value
    /// and the verdict. The p-value can take far longer than the statistic (SciPy's <c>kstwo</c> series at large sizes),
    /// so a caller with many columns may schedule it on its own.
    /// </summary>
    public static DriftResult Test(int referenceCount, int currentCount, double statistic, double? threshold = null)
    {
        double p = KolmogorovSmirnov.TwoSamplePValue(referenceCount, currentCount, statistic);
        return DriftMethods.Result(DriftMethod.KolmogorovSmirnov, statistic, p, threshold);
    }
}
