using MlOps.Statistics.Binning;
using MlOps.Statistics.Profiles;

namespace MlOps.Statistics.Drift;

/// <summary>
/// Exact drift of whole samples, as Evidently computes it on two data frames: the batch path behind
/// <c>mlops drift</c>. Missing values are dropped before, as Evidently does.
/// </summary>
public static class SampleDrift
{
    /// <summary>Evaluates a numeric column given both samples <b>sorted</b> and without NaN.</summary>
    public static FeatureDrift Numeric(string feature, ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, DriftMethod? method = null, double? threshold = null)
    {
        if (sortedReference.IsEmpty || sortedCurrent.IsEmpty)
            throw new ArgumentException($"Feature '{feature}' has no values in the {(sortedReference.IsEmpty ? "reference" : "current")} data.");
        long distinct = CountDistinct(sortedReference, NumericBinning.MaxValueBins + 1);
        var m = NumericMethod(sortedReference, sortedCurrent, method);
        DriftResult result = m switch
        {
            DriftMethod.KolmogorovSmirnov => KolmogorovSmirnovTest.Test(sortedReference, sortedCurrent, threshold),
            DriftMethod.Wasserstein => WassersteinDistance.Test(sortedReference, sortedCurrent, threshold),
            _ => BinnedNumeric(m, sortedReference, sortedCurrent, distinct, threshold),
        };
        return new FeatureDrift(feature, ColumnKind.Numeric, result);
    }

    /// <summary>
    /// The method <see cref="Numeric"/> uses for a column: <paramref name="method"/> when given, else Evidently's
    /// default for the reference's size and the distinct values of both samples together.
    /// </summary>
    public static DriftMethod NumericMethod(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, DriftMethod? method = null) =>
        method ?? DefaultDriftMethod.Choose(sortedReference.Length, ColumnKind.Numeric, CountDistinctUnion(sortedReference, sortedCurrent, DefaultDriftMethod.DistinctThatMatter));

    /// <summary>Evaluates a categorical column from its category counts.</summary>
    public static FeatureDrift Categorical(string feature, IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current, DriftMethod? method = null, double? threshold = null)
    {
        long referenceRows = reference.Values.Sum(), currentRows = current.Values.Sum();
        if (referenceRows == 0 || currentRows == 0)
            throw new ArgumentException($"Feature '{feature}' has no values in the {(referenceRows == 0 ? "reference" : "current")} data.");
        long distinct = reference.Keys.Union(current.Keys).Count(k => reference.GetValueOrDefault(k) > 0 || current.GetValueOrDefault(k) > 0);
        var m = method ?? DefaultDriftMethod.Choose(referenceRows, ColumnKind.Categorical, distinct);
        if (m is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
            throw new ArgumentException($"Feature '{feature}' is categorical: {DriftMethods.Name(m)} needs numbers.");
        var keys = new SortedSet<string>(reference.Keys, StringComparer.Ordinal);
        keys.UnionWith(current.Keys);
        var r = new long[keys.Count];
        var c = new long[keys.Count];
        int k = 0;
        foreach (string key in keys)
        {
            r[k] = reference.GetValueOrDefault(key);
            c[k] = current.GetValueOrDefault(key);
            k++;
        }

        return new FeatureDrift(feature, ColumnKind.Categorical, ProfileDrift.Binned(m, r, c, threshold));
    }

    /// <summary>
    /// Evidently's bins for a numeric column (<c>get_binned_data</c>): Sturges edges on the pooled data when the
    /// reference has more than 20 distinct values, else one bin per distinct value of either sample.
    /// </summary>
    public static (long[] Reference, long[] Current) EvidentlyBins(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        long distinct = CountDistinct(sortedReference, NumericBinning.MaxValueBins + 1);
        if (distinct > NumericBinning.MaxValueBins)
        {
            double min = Math.Min(sortedReference[0], sortedCurrent[0]);
            double max = Math.Max(sortedReference[^1], sortedCurrent[^1]);
            double[] edges = HistogramEdges.Sturges(min, max, sortedReference.Length + sortedCurrent.Length);
            var r = new long[edges.Length - 1];
            var c = new long[edges.Length - 1];
            HistogramEdges.Count(sortedReference, edges, r);
            HistogramEdges.Count(sortedCurrent, edges, c);
            return (r, c);
        }

        return PerValueCounts(sortedReference, sortedCurrent);
    }

    private static DriftResult BinnedNumeric(DriftMethod method, ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent, long distinct, double? threshold)
    {
        // PSI, JS and Hellinger use Evidently's binning; chi-square and Z compare the values as categories.
        var (r, c) = method is DriftMethod.ChiSquare or DriftMethod.ZTest || distinct <= NumericBinning.MaxValueBins
            ? PerValueCounts(sortedReference, sortedCurrent)
            : EvidentlyBins(sortedReference, sortedCurrent);
        return ProfileDrift.Binned(method, r, c, threshold);
    }

    private static (long[] Reference, long[] Current) PerValueCounts(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        var r = new List<long>();
        var c = new List<long>();
        int i = 0, j = 0;
        while (i < a.Length || j < b.Length)
        {
            double x = i < a.Length && (j >= b.Length || a[i] <= b[j]) ? a[i] : b[j];
            long ca = 0, cb = 0;
            while (i < a.Length && a[i] == x)
            {
                i++;
                ca++;
            }

            while (j < b.Length && b[j] == x)
            {
                j++;
                cb++;
            }

            r.Add(ca);
            c.Add(cb);
        }

        return (r.ToArray(), c.ToArray());
    }

    /// <summary>Distinct values of a sorted sample, counting no further than <paramref name="stopAt"/>.</summary>
    public static long CountDistinct(ReadOnlySpan<double> sorted, long stopAt = long.MaxValue)
    {
        if (sorted.IsEmpty)
            return 0;
        long distinct = 1;
        for (int i = 1; i < sorted.Length && distinct < stopAt; i++)
        {
            if (sorted[i] != sorted[i - 1])
                distinct++;
        }

        return distinct;
    }

    /// <summary>Distinct values of two sorted samples together, counting no further than <paramref name="stopAt"/> (a merge walk).</summary>
    public static long CountDistinctUnion(ReadOnlySpan<double> a, ReadOnlySpan<double> b, long stopAt = long.MaxValue)
    {
        long distinct = 0;
        int i = 0, j = 0;
        double last = 0;
        while ((i < a.Length || j < b.Length) && distinct < stopAt)
        {
            double next = j >= b.Length || (i < a.Length && a[i] <= b[j]) ? a[i++] : b[j++];
            if (distinct == 0 || next != last)
            {
                distinct++;
                last = next;
            }
        }

        return distinct;
    }
}
