using System.Globalization;
using MlOps.Statistics.Binning;
using MlOps.Statistics.Profiles;

namespace MlOps.Reports;

/// <summary>
/// Reference and current distributions of one feature on common bins: from two samples (<c>mlops report</c>) or from
/// two profiles (a monitored window and its reference, which share the reference's bins).
/// </summary>
public static class DistributionBuilder
{
    /// <summary>Categories drawn one by one; the rest share one "other" bar.</summary>
    public const int MaxCategories = 30;

    /// <summary>Up to this many distinct values (both samples together) get one bar each, as Evidently's per-value bins.</summary>
    public const int MaxValueBins = NumericBinning.MaxValueBins;

    /// <summary>
    /// Numeric samples on common bins: one per value when both together have at most <see cref="MaxValueBins"/>
    /// distinct values, else NumPy's Sturges edges over the pooled range. Non-finite values are skipped.
    /// </summary>
    public static FeatureDistribution FromSamples(IReadOnlyList<ReadOnlyMemory<double>> reference, IReadOnlyList<ReadOnlyMemory<double>> current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        long count = 0;
        var distinct = new HashSet<double>();
        foreach (var segment in reference.Concat(current))
        {
            foreach (double v in segment.Span)
            {
                if (!double.IsFinite(v))
                    continue;
                count++;
                min = Math.Min(min, v);
                max = Math.Max(max, v);
                if (distinct.Count <= MaxValueBins)
                    distinct.Add(v);
            }
        }

        if (count == 0)
            return new FeatureDistribution(DistributionKind.Histogram, []);
        if (distinct.Count <= MaxValueBins)
        {
            double[] values = [.. distinct.Order()];
            var (r, c) = (new long[values.Length], new long[values.Length]);
            CountValues(reference, values, r);
            CountValues(current, values, c);
            return new FeatureDistribution(DistributionKind.Histogram, [.. values.Select((v, i) => new DistributionBin(Number(v), r[i], c[i]))]);
        }

        double[] edges = HistogramEdges.Sturges(min, max, count);
        var (rc, cc) = (new long[edges.Length - 1], new long[edges.Length - 1]);
        CountBins(reference, edges, rc);
        CountBins(current, edges, cc);
        return new FeatureDistribution(DistributionKind.Histogram, [.. rc.Select((n, i) => new DistributionBin(Range(edges[i], edges[i + 1], i == rc.Length - 1), n, cc[i]) { Edges = (edges[i], edges[i + 1]) })]);
    }

    /// <summary>Category counts of two samples (keys are categories; zero counts allowed).</summary>
    public static FeatureDistribution FromCounts(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current) =>
        Categories(reference, current, 0, 0);

    /// <summary>
    /// Two profiles of one feature: a numeric window profiled on its reference's bins gives the reference's slots
    /// (per value plus "other", or Sturges bins plus below/above the reference's range); categorical ones give their
    /// categories. Null with the reason when the profiles share no bins.
    /// </summary>
    public static (FeatureDistribution? Distribution, string? Why) FromProfiles(FeatureProfile reference, FeatureProfile current)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        switch (reference, current)
        {
            case (NumericProfile r, NumericProfile c):
            {
                if (r.Binning is not { } binning || !binning.Equals(c.Binning))
                    return (null, "the window was not profiled on the reference's bins");
                var bins = new List<DistributionBin>(binning.SlotCount);
                ReadOnlySpan<long> rs = r.BinCounts, cs = c.BinCounts;
                int points = binning.Points.Count;
                for (int slot = 0; slot < binning.SlotCount; slot++)
                {
                    bool outside = binning.ByValue ? slot == points : slot == 0 || slot == points;
                    if (outside && rs[slot] == 0 && cs[slot] == 0)
                        continue;
                    string label = binning.ByValue
                        ? slot < points ? Number(binning.Points[slot]) : "other values"
                        : slot == 0 ? $"< {Number(binning.Points[0])}"
                        : slot == points ? $"> {Number(binning.Points[^1])}"
                        : Range(binning.Points[slot - 1], binning.Points[slot], slot == points - 1);
                    bins.Add(new DistributionBin(label, rs[slot], cs[slot])
                    {
                        IsOutside = outside,
                        Edges = binning.ByValue || outside ? null : (binning.Points[slot - 1], binning.Points[slot]),
                    });
                }

                return (new FeatureDistribution(DistributionKind.Histogram, bins), null);
            }

            case (CategoricalProfile r, CategoricalProfile c):
                return (Categories(r.Counts, c.Counts, r.OtherCount, c.OtherCount), null);
            default:
                return (null, $"the feature is {reference.Kind} in the reference and {current.Kind} in the window");
        }
    }

    private static FeatureDistribution Categories(IReadOnlyDictionary<string, long> reference, IReadOnlyDictionary<string, long> current, long referenceOther, long currentOther)
    {
        double rt = Math.Max(1, reference.Values.Sum() + referenceOther), ct = Math.Max(1, current.Values.Sum() + currentOther);
        var all = reference.Keys.Union(current.Keys, StringComparer.Ordinal)
            .Select(k => (Name: k, R: reference.GetValueOrDefault(k), C: current.GetValueOrDefault(k)))
            .Where(k => k.R + k.C > 0)
            .OrderByDescending(k => k.R / rt + k.C / ct)
            .ThenBy(k => k.Name, StringComparer.Ordinal)
            .ToList();
        var bins = all.Take(MaxCategories).Select(k => new DistributionBin(k.Name, k.R, k.C) { IsNew = k.R == 0 }).ToList();
        var rest = all.Skip(MaxCategories).ToList();
        long otherR = referenceOther + rest.Sum(k => k.R), otherC = currentOther + rest.Sum(k => k.C);
        if (otherR + otherC > 0)
        {
            string label = rest.Count > 0 ? $"other ({rest.Count.ToString(CultureInfo.InvariantCulture)} categories)" : "other";
            bins.Add(new DistributionBin(label, otherR, otherC) { IsOutside = true });
        }

        return new FeatureDistribution(DistributionKind.Categories, bins)
        {
            NewCategories = [.. all.Where(k => k.R == 0).Select(k => k.Name).Order(StringComparer.Ordinal)],
        };
    }

    private static void CountValues(IReadOnlyList<ReadOnlyMemory<double>> segments, double[] values, long[] counts)
    {
        foreach (var segment in segments)
        {
            foreach (double v in segment.Span)
            {
                int i = Array.BinarySearch(values, v);
                if (i >= 0)
                    counts[i]++;
            }
        }
    }

    private static void CountBins(IReadOnlyList<ReadOnlyMemory<double>> segments, double[] edges, long[] counts)
    {
        foreach (var segment in segments)
            HistogramEdges.Count(segment.Span, edges, counts);
    }

    private static string Range(double lower, double upper, bool last) => $"[{Number(lower)}, {Number(upper)}{(last ? "]" : ")")}";

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
