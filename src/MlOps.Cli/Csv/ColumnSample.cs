namespace MlOps.Cli.Csv;

/// <summary>The values of one column of one file: numbers, or counts per label; plus missing values.</summary>
internal sealed class ColumnSample(string name, int ordinal, ColumnType type)
{
    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);

    public string Name { get; } = name;

    public int Ordinal { get; } = ordinal;

    /// <summary>How the column was read.</summary>
    public ColumnType Type { get; } = type;

    /// <summary>Numbers, for a numeric or inferred column.</summary>
    public DoubleBuffer Numbers { get; } = new();

    /// <summary>Counts per label, for a categorical column.</summary>
    public Dictionary<string, long> Counts => _counts;

    public long Missing { get; set; }

    /// <summary>An inferred column met text: it is categorical, and the file must be read again for its labels.</summary>
    public bool NotNumeric { get; set; }

    /// <summary>The first text value met in an inferred column (for messages).</summary>
    public string? FirstText { get; set; }

    public long Present => Type == ColumnType.Categorical ? _counts.Values.Sum() : Numbers.Count;

    /// <summary>Adds what another reader of the same column found (its numbers move here); not its text flags.</summary>
    public void Add(ColumnSample other)
    {
        Numbers.Take(other.Numbers);
        Missing += other.Missing;
        foreach (var (label, count) in other._counts)
            _counts[label] = _counts.GetValueOrDefault(label) + count;
    }

    public void AddLabel(ReadOnlySpan<char> value)
    {
        var lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(value, out long count))
            lookup[value] = count + 1;
        else
            _counts[value.ToString()] = 1;
    }
}
