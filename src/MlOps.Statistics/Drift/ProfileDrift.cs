using MlOps.Statistics.Distributions;
using MlOps.Statistics.Profiles;

namespace MlOps.Statistics.Drift;

/// <summary>
/// Drift of a current profile against a reference profile: what the streaming monitor computes per window, in
/// time that depends on bins and buckets, never on rows. Binned tests are exact on the profiles' bins; KS and
/// Wasserstein come from the quantile sketches and report their error bound.
/// </summary>
public static class ProfileDrift
{
    /// <summary>Evaluates one feature with <paramref name="method"/> or, when null, Evidently's default for the reference.</summary>
    public static FeatureDrift Evaluate(string feature, FeatureProfile reference, FeatureProfile current, DriftMethod? method = null, double? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        if (reference.Kind != current.Kind)
            throw new ArgumentException($"Feature '{feature}' is {reference.Kind} in the reference and {current.Kind} now.", nameof(current));
        var m = method ?? DefaultDriftMethod.Choose(reference.Count, reference.Kind, DistinctTogether(reference, current));
        if (reference.Count == 0 || current.Count == 0)
        {
            // Nothing to compare: report no drift rather than a number made of nothing.
            return new FeatureDrift(feature, reference.Kind, DriftMethods.Result(m, double.NaN, null, threshold) with { Drifted = false });
        }

        return reference switch
        {
            NumericProfile r => EvaluateNumeric(feature, r, (NumericProfile)current, m, threshold),
            CategoricalProfile r => EvaluateCategorical(feature, r, (CategoricalProfile)current, m, threshold),
            _ => throw new ArgumentException("Unknown profile type.", nameof(reference)),
        };
    }

    /// <summary>
    /// Distinct values of both profiles together, as Evidently's rule counts them: exact while both profiles hold
    /// their values (up to 32 numbers, 1 000 categories), and "many" as soon as either holds more.
    /// </summary>
    public static long DistinctTogether(FeatureProfile reference, FeatureProfile current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        return (reference, current) switch
        {
            (NumericProfile r, NumericProfile c) when !r.DistinctOverflow && !c.DistinctOverflow =>
                r.DistinctValues.Select(kv => kv.Key).Union(c.DistinctValues.Select(kv => kv.Key)).LongCount(),
            (CategoricalProfile r, CategoricalProfile c) => Math.Max(
                r.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key).Union(c.Counts.Where(kv => kv.Value > 0).Select(kv => kv.Key), StringComparer.Ordinal).LongCount(),
                Math.Max(reference.DistinctCount, current.DistinctCount)),
            _ => Math.Max(reference.DistinctCount, current.DistinctCount),
        };
    }

    private static FeatureDrift EvaluateNumeric(string feature, NumericProfile reference, NumericProfile current, DriftMethod method, double? threshold)
    {
        if (method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein && !reference.DistinctOverflow && !current.DistinctOverflow)
        {
            // Both profiles still hold every distinct value with its count: the exact statistic, as on the samples.
            var (rv, rc) = Split(reference.DistinctValues);
            var (cv, cc) = Split(current.DistinctValues);
            DriftResult exact;
            if (method == DriftMethod.KolmogorovSmirnov)
            {
                double d = KolmogorovSmirnovTest.Statistic(rv, rc, cv, cc);
                exact = DriftMethods.Result(method, d, KolmogorovSmirnov.TwoSamplePValue(ClampToInt(reference.Count), ClampToInt(current.Count), d), threshold);
            }
            else
            {
                double w = WassersteinDistance.Distance(rv, rc, cv, cc);
                exact = DriftMethods.Result(method, WassersteinDistance.Normalize(w, reference.StandardDeviation), null, threshold);
            }

            return new FeatureDrift(feature, ColumnKind.Numeric, exact);
        }

        switch (method)
        {
            case DriftMethod.KolmogorovSmirnov:
            {
                var (d, upper) = KolmogorovSmirnovBounds(reference.Sketch, current.Sketch);
                double p = KolmogorovSmirnov.TwoSampleAsymptoticPValue(ClampToInt(reference.Count), ClampToInt(current.Count), d);
                return new FeatureDrift(feature, ColumnKind.Numeric, DriftMethods.Result(method, d, p, threshold), upper - d);
            }

            case DriftMethod.Wasserstein:
            {
                double scale = Math.Max(reference.StandardDeviation, WassersteinDistance.MinimumScale);
                double distance = Wasserstein(reference.Sketch, current.Sketch);
                double bound = reference.Sketch.RelativeAccuracy * (reference.MeanAbsolute + current.MeanAbsolute) / scale;
                return new FeatureDrift(feature, ColumnKind.Numeric, DriftMethods.Result(method, distance / scale, null, threshold), bound);
            }

            default:
            {
                if (reference.Binning is null || !reference.Binning.Equals(current.Binning))
                    throw new ArgumentException($"Feature '{feature}': binned tests need both profiles on the reference's bins.", nameof(current));
                return new FeatureDrift(feature, ColumnKind.Numeric, Binned(method, reference.BinCounts, current.BinCounts, threshold));
            }
        }
    }

    private static FeatureDrift EvaluateCategorical(string feature, CategoricalProfile reference, CategoricalProfile current, DriftMethod method, double? threshold)
    {
        if (method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
            throw new ArgumentException($"Feature '{feature}' is categorical: {DriftMethods.Name(method)} needs numbers.", nameof(method));
        var categories = new SortedSet<string>(reference.Counts.Keys, StringComparer.Ordinal);
        categories.UnionWith(current.Counts.Keys);
        int slots = categories.Count + 1;
        var r = new long[slots];
        var c = new long[slots];
        int k = 0;
        foreach (string category in categories)
        {
            r[k] = reference.Counts.GetValueOrDefault(category);
            c[k] = current.Counts.GetValueOrDefault(category);
            k++;
        }

        r[k] = reference.OtherCount;
        c[k] = current.OtherCount;
        return new FeatureDrift(feature, ColumnKind.Categorical, Binned(method, r, c, threshold));
    }

    /// <summary>Runs a binned method on aligned counts; empty slots on both sides are dropped.</summary>
    public static DriftResult Binned(DriftMethod method, ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double? threshold)
    {
        var r = new List<long>(referenceCounts.Length);
        var c = new List<long>(currentCounts.Length);
        for (int i = 0; i < referenceCounts.Length; i++)
        {
            if (referenceCounts[i] + currentCounts[i] == 0)
                continue;
            r.Add(referenceCounts[i]);
            c.Add(currentCounts[i]);
        }

        var rs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(r);
        var cs = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(c);
        return method switch
        {
            DriftMethod.ChiSquare => ChiSquareTest.Test(rs, cs, threshold),
            DriftMethod.ZTest => TwoProportionZTest.Test(rs, cs, threshold),
            DriftMethod.Psi or DriftMethod.JensenShannon or DriftMethod.Hellinger => BinnedDivergence.Test(method, rs, cs, threshold),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a binned method."),
        };
    }

    /// <summary>
    /// KS from two sketches: D on the bucket grid (the exact D of the data can only be larger) and an upper bound
    /// (the exact D can be no larger), both certain, not probabilistic.
    /// </summary>
    public static (double Statistic, double UpperBound) KolmogorovSmirnovBounds(QuantileSketch reference, QuantileSketch current)
    {
        reference.RequireCompatible(current);
        double n1 = reference.Count, n2 = current.Count;
        double grid = 0, upper = 0;
        long c1 = 0, c2 = 0;
        foreach (var (key, b1, b2) in Aligned(reference, current))
        {
            _ = key;
            double before1 = c1 / n1, before2 = c2 / n2;
            c1 += b1;
            c2 += b2;
            double after1 = c1 / n1, after2 = c2 / n2;
            grid = Math.Max(grid, Math.Abs(after1 - after2));
            // Inside a bucket each CDF can be anywhere between its values at the two ends.
            upper = Math.Max(upper, Math.Max(Math.Abs(after1 - before2), Math.Abs(before1 - after2)));
        }

        return (grid, Math.Max(grid, upper));
    }

    /// <summary>Wasserstein-1 distance between the sketches' representative distributions.</summary>
    public static double Wasserstein(QuantileSketch reference, QuantileSketch current)
    {
        reference.RequireCompatible(current);
        double n1 = reference.Count, n2 = current.Count;
        long c1 = 0, c2 = 0;
        double sum = 0, previous = double.NaN;
        foreach (var (_, value, b1, b2) in AlignedValues(reference, current))
        {
            if (!double.IsNaN(previous))
                sum += Math.Abs(c1 / n1 - c2 / n2) * (value - previous);
            c1 += b1;
            c2 += b2;
            previous = value;
        }

        return sum;
    }

    private static IEnumerable<(long Key, long Reference, long Current)> Aligned(QuantileSketch a, QuantileSketch b)
    {
        foreach (var (key, _, ca, cb) in AlignedValues(a, b))
            yield return (key, ca, cb);
    }

    private static IEnumerable<(long Key, double Value, long Reference, long Current)> AlignedValues(QuantileSketch a, QuantileSketch b)
    {
        using var ea = a.Buckets().GetEnumerator();
        using var eb = b.Buckets().GetEnumerator();
        bool hasA = ea.MoveNext(), hasB = eb.MoveNext();
        while (hasA || hasB)
        {
            if (hasA && (!hasB || ea.Current.Key < eb.Current.Key))
            {
                yield return (ea.Current.Key, ea.Current.Value, ea.Current.Count, 0);
                hasA = ea.MoveNext();
            }
            else if (hasB && (!hasA || eb.Current.Key < ea.Current.Key))
            {
                yield return (eb.Current.Key, eb.Current.Value, 0, eb.Current.Count);
                hasB = eb.MoveNext();
            }
            else
            {
                yield return (ea.Current.Key, ea.Current.Value, ea.Current.Count, eb.Current.Count);
                hasA = ea.MoveNext();
                hasB = eb.MoveNext();
            }
        }
    }

    private static (double[] Values, long[] Counts) Split(IReadOnlyList<KeyValuePair<double, long>> distinct) =>
        (distinct.Select(kv => kv.Key).ToArray(), distinct.Select(kv => kv.Value).ToArray());

    private static int ClampToInt(long n) => n > int.MaxValue ? int.MaxValue : (int)n;
}
