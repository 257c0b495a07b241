namespace MlOps.Statistics.Profiles;

/// <summary>
/// A mergeable quantile sketch with relative-accuracy guarantees (DDSketch, Masson, Rim and Lee, VLDB 2019):
/// values fall into logarithmic buckets (γ^(i−1), γ^i] with γ = (1 + α)/(1 − α), one store for positive and
/// one for negative values, and a zero bucket.
/// <para>
/// <b>Error bounds.</b> Every value is represented by its bucket's value, which is within a relative error
/// <see cref="RelativeAccuracy"/> (α) of it. So a quantile is returned within α·|true value|; the rank error of a
/// query is at most the share of values in one bucket (<see cref="MaxBucketShare"/>); and distances computed on
/// the representatives move by at most α·mean|x| per sample. Memory is at most 2 × <see cref="MaxBuckets"/> counters,
/// whatever the number of values; when a store needs more, its buckets nearest to zero fold together.
/// </para>
/// <para>
/// Adding and merging are exact integer operations on bucket counts, so merging is commutative and associative,
/// and merging the sketches of parts equals the sketch of the whole.
/// </para>
/// </summary>
public sealed class QuantileSketch
{
    /// <summary>The default relative accuracy α: 1 %.</summary>
    public const double DefaultRelativeAccuracy = 0.01;

    /// <summary>The default cap on buckets per sign: 2048 covers a dynamic range of about 10^17 at α = 1 %.</summary>
    public const int DefaultMaxBuckets = 2048;

    private readonly double _gamma;
    private readonly double _inverseLogGamma;
    private readonly BucketStore _positive;
    private readonly BucketStore _negative;

    /// <summary>Creates an empty sketch.</summary>
    public QuantileSketch(double relativeAccuracy = DefaultRelativeAccuracy, int maxBuckets = DefaultMaxBuckets)
    {
        if (!(relativeAccuracy > 0 && relativeAccuracy < 1))
            throw new ArgumentOutOfRangeException(nameof(relativeAccuracy), relativeAccuracy, "Relative accuracy must be in (0, 1).");
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBuckets, 16);
        RelativeAccuracy = relativeAccuracy;
        MaxBuckets = maxBuckets;
        _gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy);
        _inverseLogGamma = 1.0 / Math.Log(_gamma);
        _positive = new BucketStore(maxBuckets);
        _negative = new BucketStore(maxBuckets);
    }

    /// <summary>α: every value is represented within a relative error α.</summary>
    public double RelativeAccuracy { get; }

    /// <summary>The cap on buckets per sign.</summary>
    public int MaxBuckets { get; }

    /// <summary>Values added.</summary>
    public long Count => _positive.Total + _negative.Total + ZeroCount;

    /// <summary>Values equal to zero.</summary>
    public long ZeroCount { get; private set; }

    /// <summary>Adds one finite value (NaN and infinities are the caller's to count as missing).</summary>
    public void Add(double value)
    {
        if (value > 0)
            _positive.Add(Index(value));
        else if (value < 0)
            _negative.Add(Index(-value));
        else if (value == 0)
            ZeroCount++;
        else
            throw new ArgumentOutOfRangeException(nameof(value), "NaN cannot be sketched.");
    }

    /// <summary>Adds another sketch's counts; both need the same accuracy and bucket cap.</summary>
    public void Merge(QuantileSketch other)
    {
        RequireCompatible(other);
        _positive.Merge(other._positive);
        _negative.Merge(other._negative);
        ZeroCount += other.ZeroCount;
    }

    /// <summary>A deep copy.</summary>
    public QuantileSketch Clone()
    {
        var copy = new QuantileSketch(RelativeAccuracy, MaxBuckets) { ZeroCount = ZeroCount };
        copy._positive.Merge(_positive);
        copy._negative.Merge(_negative);
        return copy;
    }

    /// <summary>
    /// The value at quantile <paramref name="q"/> ∈ [0, 1] (rank q·(n − 1), lower), within relative error α of
    /// the true sample quantile; NaN when empty.
    /// </summary>
    public double Quantile(double q)
    {
        if (!(q >= 0 && q <= 1))
            throw new ArgumentOutOfRangeException(nameof(q), q, "A quantile is in [0, 1].");
        long n = Count;
        if (n == 0)
            return double.NaN;
        long rank = (long)(q * (n - 1));
        long seen = 0;
        foreach (var bucket in Buckets())
        {
            seen += bucket.Count;
            if (seen > rank)
                return bucket.Value;
        }

        return double.NaN;
    }

    /// <summary>The largest share of values in a single bucket: the rank error bound of any query on this sketch.</summary>
    public double MaxBucketShare
    {
        get
        {
            long n = Count, max = 0;
            if (n == 0)
                return 0;
            foreach (var bucket in Buckets())
                max = Math.Max(max, bucket.Count);
            return (double)max / n;
        }
    }

    /// <summary>Non-empty buckets in increasing value order: a sort key, the representative value and the count.</summary>
    public IEnumerable<SketchBucket> Buckets()
    {
        foreach (var (index, count) in _negative.Buckets().Reverse())
            yield return new SketchBucket(-(long)index - 1L - int.MaxValue, -Value(index), count);
        if (ZeroCount > 0)
            yield return new SketchBucket(0, 0.0, ZeroCount);
        foreach (var (index, count) in _positive.Buckets())
            yield return new SketchBucket((long)index + 1L + int.MaxValue, Value(index), count);
    }

    /// <summary>True when <paramref name="other"/> uses the same buckets, so the two can be merged or compared.</summary>
    public bool IsCompatibleWith(QuantileSketch other) =>
        RelativeAccuracy.Equals(other.RelativeAccuracy) && MaxBuckets == other.MaxBuckets;

    internal void RequireCompatible(QuantileSketch other)
    {
        if (!IsCompatibleWith(other))
            throw new ArgumentException("Sketches need the same relative accuracy and bucket cap.", nameof(other));
    }

    internal (IReadOnlyList<(int Index, long Count)> Negative, long Zero, IReadOnlyList<(int Index, long Count)> Positive) ToBuckets() =>
        (_negative.Buckets().ToList(), ZeroCount, _positive.Buckets().ToList());

    internal static QuantileSketch FromBuckets(
        double relativeAccuracy,
        int maxBuckets,
        IEnumerable<(int Index, long Count)> negative,
        long zero,
        IEnumerable<(int Index, long Count)> positive)
    {
        var sketch = new QuantileSketch(relativeAccuracy, maxBuckets) { ZeroCount = zero };
        foreach (var (index, count) in negative)
            sketch._negative.Add(index, count);
        foreach (var (index, count) in positive)
            sketch._positive.Add(index, count);
        return sketch;
    }

    private int Index(double magnitude) => (int)Math.Ceiling(Math.Log(magnitude) * _inverseLogGamma);

    // The point of (γ^(i−1), γ^i] with the same relative distance α to both ends.
    private double Value(int index) => 2 * Math.Pow(_gamma, index) / (_gamma + 1);
}
