using System.Collections;
using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace MlOps.Contracts.Events;

/// <summary>
/// The order of a schema's features: their names and each name's position, shared by every
/// <see cref="FeatureVector"/> of the schema (one per schema, built with its index).
/// </summary>
public sealed class FeatureLayout
{
    private readonly FrozenDictionary<string, int> _positions;

    /// <summary>A layout of <paramref name="names"/> in that order (distinct names).</summary>
    public FeatureLayout(IReadOnlyList<string> names)
    {
        Names = [.. names];
        _positions = Names.Select((name, i) => (name, i)).ToFrozenDictionary(p => p.name, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The feature names, in the schema's order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The position of <paramref name="name"/>, or -1 when the schema has no such feature.</summary>
    public int PositionOf(string name) => _positions.TryGetValue(name, out int i) ? i : -1;
}

/// <summary>
/// The features of an event validated against its model's schema: the values by position in the schema's order
/// (<see cref="Layout"/>), with the dictionary's view for everything else. The validator fills one instead of a
/// dictionary keyed by name — a 20-feature dictionary cost about as much as reading the features — and the monitor's
/// profiles read it by position.
/// </summary>
public sealed class FeatureVector : IReadOnlyDictionary<string, Scalar>
{
    private readonly Scalar[] _values;
    private readonly bool[] _present;

    /// <summary>An empty vector of <paramref name="layout"/>'s features.</summary>
    public FeatureVector(FeatureLayout layout)
    {
        Layout = layout;
        _values = new Scalar[layout.Names.Count];
        _present = new bool[layout.Names.Count];
    }

    /// <summary>The schema's feature order this vector follows.</summary>
    public FeatureLayout Layout { get; }

    /// <summary>How many features the event carries.</summary>
    public int Count { get; private set; }

    /// <summary>The value at <paramref name="position"/>; <see cref="Scalar.Missing"/> when the event does not carry it.</summary>
    public Scalar this[int position] => _values[position];

    /// <summary>Sets the feature at <paramref name="position"/>; false (and nothing changed) if the event carried it already.</summary>
    public bool TryAdd(int position, Scalar value)
    {
        if (_present[position])
            return false;
        _present[position] = true;
        _values[position] = value;
        Count++;
        return true;
    }

    public Scalar this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException($"The event has no feature '{key}'.");

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<Scalar> Values => this.Select(kv => kv.Value);

    public bool ContainsKey(string key) => Layout.PositionOf(key) is int i && i >= 0 && _present[i];

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out Scalar value)
    {
        int i = Layout.PositionOf(key);
        if (i >= 0 && _present[i])
        {
            value = _values[i];
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The features the event carries, in the schema's order.</summary>
    public IEnumerator<KeyValuePair<string, Scalar>> GetEnumerator()
    {
        for (int i = 0; i < _values.Length; i++)
        {
            if (_present[i])
                yield return new(Layout.Names[i], _values[i]);
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
