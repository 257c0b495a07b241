namespace MlOps.Statistics.Profiles;

/// <summary>
/// Dense counts over a contiguous range of integer bucket indices, growing as needed up to a fixed number of
/// buckets; past that, the lowest indices fold into the lowest kept one. The fold threshold depends only on the
/// highest index ever seen, so adding and merging are exactly commutative and associative.
/// </summary>
internal sealed class BucketStore
{
    private long[] _counts = [];
    private int _offset; // bucket index of _counts[0]
    private int _minIndex = int.MaxValue, _maxIndex = int.MinValue;

    public BucketStore(int maxBuckets) => MaxBuckets = maxBuckets;

    public int MaxBuckets { get; }

    public long Total { get; private set; }

    public bool IsEmpty => Total == 0;

    public int MinIndex => _minIndex;

    public int MaxIndex => _maxIndex;

    public long this[int index] => index < _minIndex || index > _maxIndex ? 0 : _counts[index - _offset];

    public void Add(int index, long count = 1)
    {
        if (index < _minIndex || index > _maxIndex)
            Cover(index);
        int floor = _maxIndex - MaxBuckets + 1;
        _counts[Math.Max(index, floor) - _offset] += count;
        Total += count;
    }

    public void Merge(BucketStore other)
    {
        if (other.IsEmpty)
            return;
        for (int i = other._minIndex; i <= other._maxIndex; i++)
        {
            long c = other._counts[i - other._offset];
            if (c != 0)
                Add(i, c);
        }
    }

    public BucketStore Clone()
    {
        var copy = new BucketStore(MaxBuckets)
        {
            _counts = (long[])_counts.Clone(),
            _offset = _offset,
            _minIndex = _minIndex,
            _maxIndex = _maxIndex,
            Total = Total,
        };
        return copy;
    }

    /// <summary>Non-empty buckets in increasing index order.</summary>
    public IEnumerable<(int Index, long Count)> Buckets()
    {
        if (IsEmpty)
            yield break;
        for (int i = _minIndex; i <= _maxIndex; i++)
        {
            long c = _counts[i - _offset];
            if (c != 0)
                yield return (i, c);
        }
    }

    private void Cover(int index)
    {
        if (_counts.Length == 0)
        {
            _counts = new long[Math.Min(MaxBuckets, 64)];
            _offset = index - _counts.Length / 2;
            _minIndex = _maxIndex = index;
            return;
        }

        int newMax = Math.Max(_maxIndex, index);
        int floor = newMax - MaxBuckets + 1;
        long folded = 0;
        if (_minIndex < floor)
        {
            // The range moved up: the lowest buckets fold into the new floor.
            for (int i = _minIndex; i <= Math.Min(_maxIndex, floor - 1); i++)
            {
                folded += _counts[i - _offset];
                _counts[i - _offset] = 0;
            }
        }

        int newMin = Math.Max(Math.Min(_minIndex, index), floor);
        Reserve(newMin, newMax);
        _minIndex = newMin;
        _maxIndex = newMax;
        if (folded != 0)
            _counts[Math.Max(floor, newMin) - _offset] += folded;
    }

    private void Reserve(int lo, int hi)
    {
        if (lo >= _offset && hi < _offset + _counts.Length)
            return;
        int length = Math.Min(MaxBuckets, Math.Max(hi - lo + 1, _counts.Length * 2));
        // Leave head-room on the side the range grew towards.
        int offset = lo < _offset ? hi - length + 1 : lo;
        var counts = new long[length];
        int from = Math.Max(Math.Max(_minIndex, offset), _offset);
        int to = Math.Min(Math.Min(_maxIndex, offset + length - 1), _offset + _counts.Length - 1);
        for (int i = from; i <= to; i++)
            counts[i - offset] = _counts[i - _offset];
        _counts = counts;
        _offset = offset;
    }
}
