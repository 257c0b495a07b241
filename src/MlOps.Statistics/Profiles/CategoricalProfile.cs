using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Profiles;

/// <summary>
/// Profile of a categorical (or boolean) feature: a count per category up to <see cref="MaxCategories"/> categories,
/// then an "other" bucket, plus missing values. Merging is exact while the union of categories stays within the cap.
/// </summary>
public sealed class CategoricalProfile : FeatureProfile
{
    /// <summary>The default cap on tracked categories.</summary>
    public const int DefaultMaxCategories = 1000;

    /// <summary>The label that reports stand in for the categories beyond the cap.</summary>
    public const string OtherLabel = "__other__";

    private readonly Dictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private long _other, _missing;

    /// <summary>Creates an empty profile.</summary>
    public CategoricalProfile(int maxCategories = DefaultMaxCategories)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCategories, 1);
        MaxCategories = maxCategories;
        _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The cap on tracked categories.</summary>
    public int MaxCategories { get; }

    /// <inheritdoc/>
    public override ColumnKind Kind => ColumnKind.Categorical;

    /// <inheritdoc/>
    public override long Count
    {
        get
        {
            long total = _other;
            foreach (long c in _counts.Values)
                total += c;
            return total;
        }
    }

    /// <inheritdoc/>
    public override long Missing => _missing;

    /// <summary>Values of categories beyond the cap.</summary>
    public long OtherCount => _other;

    /// <inheritdoc/>
    public override long DistinctCount => _counts.Count + (_other > 0 ? 1 : 0);

    /// <summary>Counts per tracked category.</summary>
    public IReadOnlyDictionary<string, long> Counts => _counts;

    /// <summary>Adds one value; null counts as missing.</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            _missing++;
            return;
        }

        Add(value.AsSpan(), value);
    }

    /// <summary>Adds one value given as characters; a string is allocated only for a category not seen before.</summary>
    public void Add(ReadOnlySpan<char> value) => Add(value, null);

    /// <inheritdoc/>
    public override void AddMissing(long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _missing += count;
    }

    /// <inheritdoc/>
    public override void Merge(FeatureProfile other)
    {
        if (other is not CategoricalProfile o)
            throw new ArgumentException("A categorical profile merges only with a categorical profile.", nameof(other));
        foreach (var (category, count) in o._counts)
            AddCount(category, count);
        _other += o._other;
        _missing += o._missing;
    }

    /// <inheritdoc/>
    public override CategoricalProfile CreateEmpty() => new(MaxCategories);

    /// <summary>Adds <paramref name="count"/> values of one category (deserialization and merging).</summary>
    public void AddCount(string category, long count)
    {
        ArgumentNullException.ThrowIfNull(category);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_counts.TryGetValue(category, out long existing))
            _counts[category] = existing + count;
        else if (_counts.Count < MaxCategories)
            _counts[category] = count;
        else
            _other += count;
    }

    /// <summary>Adds values beyond the cap (deserialization).</summary>
    internal void AddOther(long count) => _other += count;

    private void Add(ReadOnlySpan<char> value, string? text)
    {
        if (_lookup.TryGetValue(value, out long existing))
        {
            _lookup[value] = existing + 1;
        }
        else if (_counts.Count < MaxCategories)
        {
            _counts[text ?? value.ToString()] = 1;
        }
        else
        {
            _other++;
        }
    }
}
