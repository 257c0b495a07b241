using System.Globalization;
using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts;

/// <summary>
/// A feature value, prediction or actual: a number, a string, a boolean or missing. A struct rather than
/// <c>object</c> or <c>JsonElement</c> so the hot path neither boxes nor keeps the record's buffer alive.
/// </summary>
/// <remarks>
/// A <see cref="ScalarKind.Number"/> is always finite: <see cref="Of(double)"/> maps NaN (how pandas and
/// NumPy encode a missing value) and ±infinity to <see cref="Missing"/>, so every scalar can be written
/// as JSON.
/// </remarks>
[JsonConverter(typeof(ScalarJsonConverter))]
public readonly struct Scalar : IEquatable<Scalar>
{
    private readonly double _number;
    private readonly string? _text;
    private readonly bool _boolean;

    private Scalar(ScalarKind kind, double number, string? text, bool boolean)
    {
        Kind = kind;
        _number = number;
        _text = text;
        _boolean = boolean;
    }

    /// <summary>The missing value (JSON <c>null</c>); also the <c>default</c> of this struct.</summary>
    public static Scalar Missing => default;

    /// <summary>Which of the values below is meaningful.</summary>
    public ScalarKind Kind { get; }

    /// <summary>The number, or NaN when <see cref="Kind"/> is not <see cref="ScalarKind.Number"/>.</summary>
    public double Number => Kind == ScalarKind.Number ? _number : double.NaN;

    /// <summary>The string, or <see langword="null"/> when <see cref="Kind"/> is not <see cref="ScalarKind.Text"/>.</summary>
    public string? Text => Kind == ScalarKind.Text ? _text : null;

    /// <summary>The boolean, or <see langword="false"/> when <see cref="Kind"/> is not <see cref="ScalarKind.Boolean"/>.</summary>
    public bool Boolean => Kind == ScalarKind.Boolean && _boolean;

    /// <summary><see langword="true"/> for <see cref="Missing"/>.</summary>
    public bool IsMissing => Kind == ScalarKind.Missing;

    /// <summary>A number; NaN and ±infinity become <see cref="Missing"/> because JSON cannot carry them.</summary>
    public static Scalar Of(double value) =>
        double.IsFinite(value) ? new Scalar(ScalarKind.Number, value, null, false) : Missing;

    /// <summary>A string; <see langword="null"/> becomes <see cref="Missing"/>.</summary>
    public static Scalar Of(string? value) =>
        value is null ? Missing : new Scalar(ScalarKind.Text, 0, value, false);

    /// <summary>A boolean.</summary>
    public static Scalar Of(bool value) => new(ScalarKind.Boolean, 0, null, value);

    /// <summary>Same as <see cref="Of(double)"/>.</summary>
    public static implicit operator Scalar(double value) => Of(value);

    /// <summary>Same as <see cref="Of(string)"/>.</summary>
    public static implicit operator Scalar(string? value) => Of(value);

    /// <summary>Same as <see cref="Of(bool)"/>.</summary>
    public static implicit operator Scalar(bool value) => Of(value);

    /// <summary>Equality of kind and value (strings compared ordinally).</summary>
    public static bool operator ==(Scalar left, Scalar right) => left.Equals(right);

    /// <summary>Inequality of kind or value.</summary>
    public static bool operator !=(Scalar left, Scalar right) => !left.Equals(right);

    /// <inheritdoc />
    public bool Equals(Scalar other) => Kind == other.Kind && Kind switch
    {
        ScalarKind.Number => _number.Equals(other._number),
        ScalarKind.Text => string.Equals(_text, other._text, StringComparison.Ordinal),
        ScalarKind.Boolean => _boolean == other._boolean,
        _ => true,
    };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is Scalar other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        ScalarKind.Number => HashCode.Combine(Kind, _number),
        ScalarKind.Text => HashCode.Combine(Kind, StringComparer.Ordinal.GetHashCode(_text!)),
        ScalarKind.Boolean => HashCode.Combine(Kind, _boolean),
        _ => 0,
    };

    /// <summary>
    /// Culture-invariant text: the shortest round-trip form of a number, the string itself, <c>true</c>/<c>false</c>
    /// (JSON spelling), or the empty string when missing. This is how a numeric or boolean class label becomes a string.
    /// </summary>
    public override string ToString() => Kind switch
    {
        ScalarKind.Number => _number.ToString("R", CultureInfo.InvariantCulture),
        ScalarKind.Text => _text!,
        ScalarKind.Boolean => _boolean ? "true" : "false",
        _ => string.Empty,
    };
}
