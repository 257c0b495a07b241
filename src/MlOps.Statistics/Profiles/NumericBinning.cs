using MlOps.Statistics.Binning;

namespace MlOps.Statistics.Profiles;

/// <summary>
/// How a numeric profile bins values for the binned tests (PSI, Jensen–Shannon, Hellinger, chi-square, Z),
/// fixed from the reference data so every window's counts line up with the reference's:
/// <list type="bullet">
/// <item><b>values</b> — one bin per distinct reference value plus one "other" bin, when the reference has at most
/// <see cref="MaxValueBins"/> distinct values (Evidently's per-value bins);</item>
/// <item><b>range</b> — Sturges equal-width edges over the reference range plus an underflow and an overflow bin.</item>
/// </list>
/// </summary>
public sealed class NumericBinning : IEquatable<NumericBinning>
{
    /// <summary>Up to this many distinct reference values get one bin each (Evidently: 20).</summary>
    public const int MaxValueBins = 20;

    private readonly double[] _points;

    private NumericBinning(bool byValue, double[] points)
    {
        ByValue = byValue;
        _points = points;
    }

    /// <summary>True for one bin per value, false for range edges.</summary>
    public bool ByValue { get; }

    /// <summary>The distinct values (by value) or the edges (by range), increasing.</summary>
    public IReadOnlyList<double> Points => _points;

    /// <summary>Count slots: values + other, or underflow + bins + overflow.</summary>
    public int SlotCount => _points.Length + 1;

    /// <summary>One bin per value of <paramref name="sortedDistinctValues"/> plus "other".</summary>
    public static NumericBinning ForValues(IEnumerable<double> sortedDistinctValues)
    {
        var values = sortedDistinctValues.ToArray();
        for (int i = 1; i < values.Length; i++)
        {
            if (!(values[i] > values[i - 1]))
                throw new ArgumentException("Values must be distinct and increasing.", nameof(sortedDistinctValues));
        }

        return new NumericBinning(true, values);
    }

    /// <summary>Bins between increasing <paramref name="edges"/> plus underflow and overflow.</summary>
    public static NumericBinning ForEdges(IEnumerable<double> edges)
    {
        var e = edges.ToArray();
        if (e.Length < 2)
            throw new ArgumentException("At least two edges are needed.", nameof(edges));
        for (int i = 1; i < e.Length; i++)
        {
            if (!(e[i] > e[i - 1]))
                throw new ArgumentException("Edges must be increasing.", nameof(edges));
        }

        return new NumericBinning(false, e);
    }

    /// <summary>Evidently's choice for reference data: per value when it has ≤ 20 distinct values, else Sturges edges.</summary>
    public static NumericBinning ForReference(double min, double max, long count, IReadOnlyList<double>? distinctValues)
    {
        if (distinctValues is { Count: > 0 and <= MaxValueBins })
            return ForValues(distinctValues);
        return ForEdges(HistogramEdges.Sturges(min, max, count));
    }

    /// <summary>The slot of a finite value.</summary>
    public int SlotOf(double value)
    {
        var points = _points.AsSpan();
        if (ByValue)
        {
            int i = points.BinarySearch(value);
            return i >= 0 ? i : points.Length;
        }

        if (value < points[0])
            return 0;
        if (value > points[^1])
            return points.Length;
        return 1 + HistogramEdges.BinIndex(value, points);
    }

    /// <summary>A readable label for a slot (for reports).</summary>
    public string SlotLabel(int slot)
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        if (ByValue)
            return slot < _points.Length ? _points[slot].ToString("R", c) : "other";
        if (slot == 0)
            return string.Create(c, $"< {_points[0]:R}");
        if (slot == _points.Length)
            return string.Create(c, $"> {_points[^1]:R}");
        return string.Create(c, $"[{_points[slot - 1]:R}, {_points[slot]:R}{(slot == _points.Length - 1 ? "]" : ")")}");
    }

    /// <inheritdoc/>
    public bool Equals(NumericBinning? other) =>
        other is not null && ByValue == other.ByValue && _points.AsSpan().SequenceEqual(other._points);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as NumericBinning);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(ByValue, _points.Length, _points.Length > 0 ? _points[0] : 0);
}
