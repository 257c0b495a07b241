using System.Runtime.CompilerServices;

namespace MlOps.Statistics.Drift;

/// <summary>Wasserstein-1 distance between two one-dimensional samples, as <c>scipy.stats.wasserstein_distance</c>.</summary>
public static class WassersteinDistance
{
    /// <summary>The smallest reference spread Evidently divides by.</summary>
    public const double MinimumScale = 0.001;

    /// <summary>
    /// The distance ∫|F_ref − F_cur| between two <b>sorted</b> samples without NaN, integrated over the
    /// pooled sorted values exactly as SciPy's <c>_cdf_distance(1, u, v)</c>.
    /// </summary>
    public static double Distance(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent) =>
        SortedMerge.Walk(sortedReference, sortedCurrent).Distance;

    /// <summary>The distance for two samples given as distinct increasing values with their counts.</summary>
    public static double Distance(ReadOnlySpan<double> referenceValues, ReadOnlySpan<long> referenceCounts, ReadOnlySpan<double> currentValues, ReadOnlySpan<long> currentCounts)
    {
        double n1 = KolmogorovSmirnovTest.Total(referenceCounts), n2 = KolmogorovSmirnovTest.Total(currentCounts);
        double sum = 0;
        long c1 = 0, c2 = 0;
        int i = 0, j = 0;
        double previous = double.NaN;
        while (i < referenceValues.Length || j < currentValues.Length)
        {
            double x = i < referenceValues.Length && (j >= currentValues.Length || referenceValues[i] <= currentValues[j]) ? referenceValues[i] : currentValues[j];
            if (!double.IsNaN(previous))
                sum += Math.Abs(c1 / n1 - c2 / n2) * (x - previous);
            if (i < referenceValues.Length && referenceValues[i] == x)
                c1 += referenceCounts[i++];
            if (j < currentValues.Length && currentValues[j] == x)
                c2 += currentCounts[j++];
            previous = x;
        }

        return sum;
    }

    /// <summary>Evidently's statistic: the distance divided by max(<paramref name="referenceStd"/>, 0.001), population std (ddof = 0).</summary>
    public static double Normalize(double distance, double referenceStd) => distance / Math.Max(referenceStd, MinimumScale);

    /// <summary>Runs Evidently's Wasserstein test on two sorted samples: normalised distance, drift when ≥ threshold.</summary>
    public static DriftResult Test(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, double? threshold = null) =>
        Test(Distance(sortedReference, sortedCurrent), sortedReference, threshold);

    /// <summary>
    /// The test for a distance already computed (by <see cref="Distance(ReadOnlySpan{double}, ReadOnlySpan{double})"/> or
    /// <see cref="KolmogorovSmirnovTest.StatisticAndDistance"/>) from <paramref name="sortedReference"/> and a current sample.
    /// </summary>
    public static DriftResult Test(double distance, ReadOnlySpan<double> sortedReference, double? threshold = null) =>
        DriftMethods.Result(DriftMethod.Wasserstein, Normalize(distance, PopulationStd(sortedReference)), null, threshold);

    /// <summary>Population standard deviation (ddof = 0), two-pass like <c>numpy.std</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static double PopulationStd(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
            return double.NaN;
        double sum = 0;
        foreach (double v in values)
            sum += v;
        double mean = sum / values.Length;
        double squares = 0;
        foreach (double v in values)
        {
            double d = v - mean;
            squares += d * d;
        }

        return Math.Sqrt(squares / values.Length);
    }
}
