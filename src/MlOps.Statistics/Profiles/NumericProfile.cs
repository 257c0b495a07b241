using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Profiles;

/// <summary>
/// Profile of a numeric feature: count, missing, min, max, mean, variance, mean |x|, a <see cref="QuantileSketch"/>,
/// exact counts of up to <see cref="DistinctCap"/> distinct values, and counts on the reference-derived
/// <see cref="NumericBinning"/> (when one is set). NaN and infinities count as missing.
/// </summary>
public sealed class NumericProfile : FeatureProfile
{
    /// <summary>Distinct values are tracked exactly up to this many; beyond, the profile only knows "more".</summary>
    public const int DistinctCap = 32;

    private readonly long[] _binCounts;
    private readonly double[] _distinct = new double[DistinctCap];
    private readonly long[] _distinctCounts = new long[DistinctCap];
    private int _distinctUsed;
    private bool _distinctOverflow;
    private long _count, _missing;
    private double _min = double.PositiveInfinity, _max = double.NegativeInfinity;
    private double _mean, _m2, _sumAbs;

    /// <summary>Creates an empty profile.</summary>
    public NumericProfile(NumericBinning? binning = null, double relativeAccuracy = QuantileSketch.DefaultRelativeAccuracy, int maxBuckets = QuantileSketch.DefaultMaxBuckets)
    {
        Binning = binning;
        _binCounts = binning is null ? [] : new long[binning.SlotCount];
        Sketch = new QuantileSketch(relativeAccuracy, maxBuckets);
    }

    /// <inheritdoc/>
    public override ColumnKind Kind => ColumnKind.Numeric;

    /// <inheritdoc/>
    public override long Count => _count;

    /// <inheritdoc/>
    public override long Missing => _missing;

    /// <summary>The bins of the binned tests, or null when this profile has none.</summary>
    public NumericBinning? Binning { get; }

    /// <summary>Counts per <see cref="NumericBinning"/> slot.</summary>
    public ReadOnlySpan<long> BinCounts => _binCounts;

    /// <summary>The quantile sketch.</summary>
    public QuantileSketch Sketch { get; }

    /// <summary>Smallest value (+∞ when empty).</summary>
    public double Min => _min;

    /// <summary>Largest value (−∞ when empty).</summary>
    public double Max => _max;

    /// <summary>Mean (NaN when empty).</summary>
    public double Mean => _count == 0 ? double.NaN : _mean;

    /// <summary>Population variance (ddof = 0).</summary>
    public double Variance => _count == 0 ? double.NaN : _m2 / _count;

    /// <summary>Population standard deviation (ddof = 0), as numpy.std.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);

    /// <summary>Mean absolute value: scales the sketch's error bound on distances.</summary>
    public double MeanAbsolute => _count == 0 ? double.NaN : _sumAbs / _count;

    /// <summary>True when more than <see cref="DistinctCap"/> distinct values were seen.</summary>
    public bool DistinctOverflow => _distinctOverflow;

    /// <inheritdoc/>
    public override long DistinctCount => _distinctOverflow ? DistinctCap + 1 : _distinctUsed;

    /// <summary>The distinct values with their counts, increasing; empty after an overflow.</summary>
    public IReadOnlyList<KeyValuePair<double, long>> DistinctValues
    {
        get
        {
            if (_distinctOverflow)
                return [];
            var list = new List<KeyValuePair<double, long>>(_distinctUsed);
            for (int i = 0; i < _distinctUsed; i++)
                list.Add(new(_distinct[i], _distinctCounts[i]));
            return list;
        }
    }

    /// <summary>
    /// Builds a reference profile in two passes: the first finds range and distinct values, from which Evidently's
    /// binning is chosen; the second fills every statistic.
    /// </summary>
    public static NumericProfile Build(ReadOnlySpan<double> values, long missing = 0, double relativeAccuracy = QuantileSketch.DefaultRelativeAccuracy)
    {
        var scan = new NumericProfile(null, relativeAccuracy);
        scan.AddMoments(values, sketch: false);
        NumericBinning? binning = null;
        if (scan.Count > 0)
        {
            var distinct = scan.DistinctOverflow ? null : scan.DistinctValues.Select(kv => kv.Key).ToList();
            binning = NumericBinning.ForReference(scan.Min, scan.Max, scan.Count, distinct);
        }

        var profile = new NumericProfile(binning, relativeAccuracy);
        profile.Add(values);
        profile.AddMissing(missing);
        return profile;
    }

    /// <summary>Adds one value; NaN and ±∞ count as missing.</summary>
    public void Add(double value)
    {
        if (!double.IsFinite(value))
        {
            _missing++;
            return;
        }

        _count++;
        double delta = value - _mean;
        _mean += delta / _count;
        _m2 += delta * (value - _mean);
        AddShape(value);
    }

    /// <summary>Adds values; NaN and ±∞ count as missing. The hot path: no allocation per value.</summary>
    public void Add(ReadOnlySpan<double> values) => AddMoments(values, sketch: true);

    /// <inheritdoc/>
    public override void AddMissing(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _missing += count;
    }

    /// <inheritdoc/>
    public override void Merge(FeatureProfile other)
    {
        if (other is not NumericProfile o)
            throw new ArgumentException("A numeric profile merges only with a numeric profile.", nameof(other));
        if (!Equals(Binning, o.Binning))
            throw new ArgumentException("Profiles need the same bins to merge.", nameof(other));
        MergeMoments(o._count, o._mean, o._m2);
        _missing += o._missing;
        _sumAbs += o._sumAbs;
        _min = Math.Min(_min, o._min);
        _max = Math.Max(_max, o._max);
        for (int i = 0; i < _binCounts.Length; i++)
            _binCounts[i] += o._binCounts[i];
        Sketch.Merge(o.Sketch);
        if (o._distinctOverflow)
        {
            _distinctOverflow = true;
        }
        else
        {
            for (int i = 0; i < o._distinctUsed && !_distinctOverflow; i++)
                TrackDistinct(o._distinct[i], o._distinctCounts[i]);
        }
    }

    /// <inheritdoc/>
    public override NumericProfile CreateEmpty() => new(Binning, Sketch.RelativeAccuracy, Sketch.MaxBuckets);

    /// <summary>Restores a profile from its parts (deserialization).</summary>
    internal static NumericProfile Restore(
        NumericBinning? binning,
        long[] binCounts,
        long count,
        long missing,
        double min,
        double max,
        double mean,
        double m2,
        double sumAbs,
        IReadOnlyList<KeyValuePair<double, long>>? distinct,
        QuantileSketch sketch)
    {
        var p = new NumericProfile(binning, sketch.RelativeAccuracy, sketch.MaxBuckets);
        if (binCounts.Length != p._binCounts.Length)
            throw new ArgumentException("Bin counts do not match the bins.", nameof(binCounts));
        binCounts.CopyTo(p._binCounts, 0);
        p._count = count;
        p._missing = missing;
        p._min = min;
        p._max = max;
        p._mean = mean;
        p._m2 = m2;
        p._sumAbs = sumAbs;
        p.Sketch.Merge(sketch);
        if (distinct is null)
        {
            p._distinctOverflow = true;
        }
        else
        {
            foreach (var (value, c) in distinct)
                p.TrackDistinct(value, c);
        }

        return p;
    }

    internal (double Mean, double M2, double SumAbs) RawMoments => (_mean, _m2, _sumAbs);

    private void AddMoments(ReadOnlySpan<double> values, bool sketch)
    {
        // Moments of this batch around its first finite value (shifted sums stay accurate), then merged in.
        long n = 0;
        double shift = double.NaN, sum = 0, sumSquares = 0;
        foreach (double v in values)
        {
            if (!double.IsFinite(v))
            {
                _missing++;
                continue;
            }

            if (n == 0)
                shift = v;
            n++;
            double d = v - shift;
            sum += d;
            sumSquares += d * d;
            if (sketch)
                AddShape(v);
            else
                AddRangeAndDistinct(v);
        }

        if (n == 0)
            return;
        double batchMean = shift + sum / n;
        double batchM2 = Math.Max(0, sumSquares - sum * sum / n);
        MergeMoments(n, batchMean, batchM2);
    }

    private void AddShape(double value)
    {
        AddRangeAndDistinct(value);
        Sketch.Add(value);
        if (Binning is not null)
            _binCounts[Binning.SlotOf(value)]++;
    }

    private void AddRangeAndDistinct(double value)
    {
        if (value < _min)
            _min = value;
        if (value > _max)
            _max = value;
        _sumAbs += Math.Abs(value);
        if (!_distinctOverflow)
            TrackDistinct(value, 1);
    }

    private void TrackDistinct(double value, long count)
    {
        int i = _distinct.AsSpan(0, _distinctUsed).BinarySearch(value);
        if (i >= 0)
        {
            _distinctCounts[i] += count;
            return;
        }

        if (_distinctUsed == DistinctCap)
        {
            _distinctOverflow = true;
            return;
        }

        i = ~i;
        Array.Copy(_distinct, i, _distinct, i + 1, _distinctUsed - i);
        Array.Copy(_distinctCounts, i, _distinctCounts, i + 1, _distinctUsed - i);
        _distinct[i] = value;
        _distinctCounts[i] = count;
        _distinctUsed++;
    }

    private void MergeMoments(long n, double mean, double m2)
    {
        if (n == 0)
            return;
        if (_count == 0)
        {
            _count = n;
            _mean = mean;
            _m2 = m2;
            return;
        }

        long total = _count + n;
        double delta = mean - _mean;
        _m2 += m2 + delta * delta * ((double)_count * n / total);
        _mean += delta * n / total;
        _count = total;
    }
}
