using System.Text.Json;
using MlOps.Contracts.Schemas;
using MlOps.Contracts.Serialization;
using static MlOps.Contracts.Validation.RejectReason;

namespace MlOps.Contracts.Validation;

/// <summary>
/// Reads one top-level field value from a reader positioned on it, reporting problems instead of throwing.
/// Callers have pre-scanned the record, so the reader cannot fail here: syntax, depth and string escapes are known good.
/// Every method leaves the reader on the last token of the value.
/// </summary>
internal static class FieldReader
{
    public static void SkipValue(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
        }
    }

    public static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };

    public static void WrongType(ref Utf8JsonReader reader, ErrorSink errors, string field, string expected)
    {
        errors.Add(RejectReason.WrongType, field, $"expected {expected} but found {Describe(reader.TokenType)}");
        SkipValue(ref reader);
    }

    public static bool ReadSchemaVersion(ref Utf8JsonReader reader, ErrorSink errors, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                errors.Add(MissingField, field, "schemaVersion is null");
                return false;
            case JsonTokenType.Number:
                if (reader.TryGetInt32(out var version) && version == SchemaVersion.Current)
                {
                    return true;
                }

                errors.Add(UnsupportedSchemaVersion, field, $"only schemaVersion {SchemaVersion.Current} is supported");
                return false;
            default:
                WrongType(ref reader, errors, field, "an integer");
                return false;
        }
    }

    /// <summary>
    /// The longest id (<c>predictionId</c>, <c>model</c>, <c>modelVersion</c>): ids are keys of the monitor's tables, and
    /// a PostgreSQL index entry holds at most about 2.7 KB.
    /// </summary>
    public const int MaxIdLength = 256;

    /// <summary>A required, non-blank string such as <c>predictionId</c> or <c>model</c>, at most <see cref="MaxIdLength"/> characters.</summary>
    public static string? ReadRequiredString(ref Utf8JsonReader reader, ErrorSink errors, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                errors.Add(MissingField, field, $"{field} is null");
                return null;
            case JsonTokenType.String:
                var value = reader.GetString();
                if (string.IsNullOrWhiteSpace(value))
                {
                    errors.Add(InvalidValue, field, $"{field} is empty");
                    return null;
                }

                if (value.Length > MaxIdLength)
                {
                    errors.Add(InvalidValue, field, $"{field} is {value.Length} characters long; the limit is {MaxIdLength}");
                    return null;
                }

                return value;
            default:
                WrongType(ref reader, errors, field, "a string");
                return null;
        }
    }

    public static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, ErrorSink errors, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                errors.Add(MissingField, field, $"{field} is null");
                return null;
            case JsonTokenType.String:
                if (Timestamps.TryRead(ref reader, out var value))
                {
                    return value;
                }

                errors.Add(BadTimestamp, field, "expected ISO-8601 with an offset, e.g. \"2026-11-24T10:15:02.123Z\"");
                return null;
            default:
                WrongType(ref reader, errors, field, "an ISO-8601 string");
                return null;
        }
    }

    /// <summary>An optional number within [<paramref name="min"/>, <paramref name="max"/>]; <c>null</c> means absent.</summary>
    public static double? ReadOptionalNumber(ref Utf8JsonReader reader, ErrorSink errors, string field, double min, double max, string rangeMessage)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number:
                if (!TryReadFinite(ref reader, errors, field, out var value))
                {
                    return null;
                }

                if (value < min || value > max)
                {
                    errors.Add(InvalidValue, field, rangeMessage);
                    return null;
                }

                return value;
            default:
                WrongType(ref reader, errors, field, "a number");
                return null;
        }
    }

    /// <summary>Reads a JSON number as a finite double; overflow (<c>1e400</c>) is an invalid value, not infinity.</summary>
    public static bool TryReadFinite(ref Utf8JsonReader reader, ErrorSink errors, string field, out double value)
    {
        if (reader.TryGetDouble(out value) && double.IsFinite(value))
        {
            return true;
        }

        errors.Add(InvalidValue, field, "number is outside the range of a double");
        return false;
    }

    /// <summary>
    /// A prediction or actual. Regression: a JSON number. Classification: a string label, or a number/boolean
    /// converted to its invariant text (producers often send <c>1</c>/<c>0</c>), checked against declared classes.
    /// Without a schema (unknown model, already reported) any scalar is taken as is.
    /// </summary>
    public static Scalar? ReadLabel(ref Utf8JsonReader reader, ErrorSink errors, string field, ModelSchema? schema)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            errors.Add(MissingField, field, $"{field} is null");
            return null;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            WrongType(ref reader, errors, field, schema?.Task == ModelTask.Regression ? "a number" : "a string label");
            return null;
        }

        Scalar value;
        if (reader.TokenType == JsonTokenType.Number)
        {
            if (!TryReadFinite(ref reader, errors, field, out var number))
            {
                return null;
            }

            value = Scalar.Of(number);
        }
        else
        {
            value = reader.TokenType == JsonTokenType.String ? Scalar.Of(reader.GetString()) : Scalar.Of(reader.TokenType == JsonTokenType.True);
        }

        if (schema is null)
        {
            return value;
        }

        if (schema.Task == ModelTask.Regression)
        {
            if (value.Kind != ScalarKind.Number)
            {
                errors.Add(RejectReason.WrongType, field, $"a regression model's {field} must be a number");
                return null;
            }

            return value;
        }

        var label = value.ToString();
        if (label.Length == 0)
        {
            errors.Add(InvalidValue, field, $"{field} is an empty class label");
            return null;
        }

        if (!schema.IsAllowedClass(label))
        {
            errors.Add(InvalidValue, field, $"class '{Truncate(label)}' is not one of the model's classes");
            return null;
        }

        return Scalar.Of(label);
    }

    /// <summary>Keeps producer-controlled text in messages short.</summary>
    public static string Truncate(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");
}
