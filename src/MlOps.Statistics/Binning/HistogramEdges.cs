namespace MlOps.Statistics.Binning;

/// <summary>
/// Bin edges and counting with NumPy's semantics (<c>numpy.histogram_bin_edges</c>, <c>numpy.histogram</c>),
/// so binned drift tests give the numbers Evidently computes.
/// </summary>
public static class HistogramEdges
{
    /// <summary>
    /// Equal-width edges from <c>numpy.histogram_bin_edges(values, bins="sturges")</c> for data whose
    /// minimum, maximum and size are given: width = (max − min) / (log2(n) + 1), bins = ceil((max − min) / width).
    /// </summary>
    public static double[] Sturges(double min, double max, long count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        if (double.IsNaN(min) || double.IsNaN(max) || double.IsInfinity(min) || double.IsInfinity(max))
            throw new ArgumentException("Edges need finite bounds.", nameof(min));
        double first = min, last = max;
        if (first == last)
        {
            // numpy's _get_outer_edges widens a degenerate range by 0.5 on each side.
            first -= 0.5;
            last += 0.5;
        }

        double width = (max - min) / (Math.Log2(count) + 1.0);
        int bins = width > 0 ? (int)Math.Ceiling((last - first) / width) : 1;
        return Linspace(first, last, bins + 1);
    }

    /// <summary><c>numpy.linspace(start, stop, num, endpoint=True)</c>, bit for bit.</summary>
    public static double[] Linspace(double start, double stop, int num)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(num, 2);
        var edges = new double[num];
        double step = (stop - start) / (num - 1);
        for (int i = 0; i < num; i++)
            edges[i] = i * step + start;
        edges[num - 1] = stop;
        return edges;
    }

    /// <summary>
    /// Index of the bin holding <paramref name="value"/> for equal-width <paramref name="edges"/> as
    /// <c>numpy.histogram</c> assigns it (half-open bins, the last one closed), or −1 when outside.
    /// </summary>
    public static int UniformBinIndex(double value, ReadOnlySpan<double> edges)
    {
        int bins = edges.Length - 1;
        double first = edges[0], last = edges[bins];
        if (!(value >= first && value <= last))
            return -1;
        double norm = bins / (last - first);
        int index = (int)((value - first) * norm);
        if (index == bins)
            index--;
        // numpy corrects the float estimate against the real edges.
        if (value < edges[index])
            index--;
        else if (index != bins - 1 && value >= edges[index + 1])
            index++;
        return index;
    }

    /// <summary>
    /// Index of the bin holding <paramref name="value"/> for arbitrary increasing edges (half-open bins,
    /// the last one closed), or −1 when outside. Binary search: no assumption of equal widths.
    /// </summary>
    public static int BinIndex(double value, ReadOnlySpan<double> edges)
    {
        int bins = edges.Length - 1;
        if (!(value >= edges[0] && value <= edges[bins]))
            return -1;
        if (value == edges[bins])
            return bins - 1;
        int lo = 0, hi = bins; // invariant: edges[lo] <= value < edges[hi]
        while (hi - lo > 1)
        {
            int mid = (lo + hi) >>> 1;
            if (value >= edges[mid])
                lo = mid;
            else
                hi = mid;
        }

        return lo;
    }

    /// <summary>
    /// Adds the counts of <c>numpy.histogram(values, edges)</c> with an edges array (its searchsorted path,
    /// which Evidently takes) to <paramref name="counts"/>; values outside the edges are ignored.
    /// </summary>
    public static void Count(ReadOnlySpan<double> values, ReadOnlySpan<double> edges, Span<long> counts)
    {
        if (counts.Length != edges.Length - 1)
            throw new ArgumentException("One count per bin is needed.", nameof(counts));
        foreach (double v in values)
        {
            int i = BinIndex(v, edges);
            if (i >= 0)
                counts[i]++;
        }
    }
}
