namespace MlOps.Cli.Csv;

/// <summary>A growable array of doubles (a column of numbers read from a file).</summary>
internal sealed class DoubleBuffer
{
    private double[] _items = new double[1024];

    public int Count { get; private set; }

    public Span<double> Span => _items.AsSpan(0, Count);

    public void Add(double value)
    {
        if (Count == _items.Length)
            Array.Resize(ref _items, checked(_items.Length * 2));
        _items[Count++] = value;
    }
}
