using System.Runtime.CompilerServices;

namespace MlOps.Cli.Csv;

/// <summary>
/// A growable list of doubles (a column of numbers read from a file) kept in chunks: growing never copies, and
/// buffers filled by several threads join without copying either.
/// </summary>
internal sealed class DoubleBuffer
{
    private const int FirstChunk = 256;
    private const int LargestChunk = 1 << 16;

    private readonly List<(double[] Items, int Count)> _full = [];
    private double[] _chunk = [];
    private int _used;
    private long _fullCount;

    /// <summary>The number of values.</summary>
    public long Count => _fullCount + _used;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(double value)
    {
        if (_used == _chunk.Length)
            Grow();
        _chunk[_used++] = value;
    }

    /// <summary>Moves the values of <paramref name="other"/> to this buffer (in no particular order), leaving it empty.</summary>
    public void Take(DoubleBuffer other)
    {
        _full.AddRange(other._full);
        _fullCount += other._fullCount;
        if (other._used > 0)
        {
            _full.Add((other._chunk, other._used));
            _fullCount += other._used;
        }

        other._full.Clear();
        other._fullCount = 0;
        other._chunk = [];
        other._used = 0;
    }

    /// <summary>The values, as the chunks that hold them.</summary>
    public IReadOnlyList<ReadOnlyMemory<double>> Segments
    {
        get
        {
            var segments = new List<ReadOnlyMemory<double>>(_full.Count + 1);
            foreach (var (items, count) in _full)
                segments.Add(items.AsMemory(0, count));
            segments.Add(_chunk.AsMemory(0, _used));
            return segments;
        }
    }

    /// <summary>Copies the values to <paramref name="destination"/>, which holds at least <see cref="Count"/>.</summary>
    public void CopyTo(Span<double> destination)
    {
        int at = 0;
        foreach (var (items, count) in _full)
        {
            items.AsSpan(0, count).CopyTo(destination[at..]);
            at += count;
        }

        _chunk.AsSpan(0, _used).CopyTo(destination[at..]);
    }

    /// <summary>The values as one array (a copy).</summary>
    public double[] ToArray()
    {
        var values = GC.AllocateUninitializedArray<double>(checked((int)Count));
        CopyTo(values);
        return values;
    }

    private void Grow()
    {
        if (_used > 0)
        {
            _full.Add((_chunk, _used));
            _fullCount += _used;
        }

        _chunk = GC.AllocateUninitializedArray<double>(Math.Clamp(_chunk.Length * 2, FirstChunk, LargestChunk));
        _used = 0;
    }
}
