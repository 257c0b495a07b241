using System.Text.Json;
using System.Text.Unicode;
using static MlOps.Contracts.Validation.RejectReason;

namespace MlOps.Contracts.Validation;

/// <summary>
/// The validator's first pass over a record. Everything that could make <see cref="Utf8JsonReader"/> throw is
/// found here, so the field pass that follows can read without try/catch.
/// </summary>
internal static class RecordPrescan
{
    private const string Root = EventValidator.Root;

    /// <summary>
    /// The longest string (value or property name) of a record, in UTF-8 bytes: a category, a tag or an id is a few
    /// dozen; a longer one is an attack on the monitor's memory and its tables.
    /// </summary>
    public const int MaxStringBytes = 4096;

    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> json) =>
        json.StartsWith("\uFEFF"u8) ? json[3..] : json;

    /// <summary>
    /// Whether a record can skip the first pass: within the size limit and no longer than the longest string (so no
    /// string in it is too long), valid UTF-8, and without a backslash (so no escape, no lone surrogate, no NUL).
    /// What remains of the first pass, syntax and depth, <see cref="Utf8JsonReader"/> checks as the field pass reads.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<byte> json, int maxRecordBytes) =>
        json.Length <= Math.Min(maxRecordBytes, MaxStringBytes) && !json.Contains((byte)'\\') && Utf8.IsValid(json);

    /// <summary>
    /// First pass: size, UTF-8, syntax, depth, string escapes, root is an object; also picks up the first top-level
    /// <c>model</c> string so the second pass knows the schema wherever the features appear.
    /// After it succeeds, the second pass cannot throw.
    /// </summary>
    public static bool Run(ReadOnlySpan<byte> json, int maxRecordBytes, JsonReaderOptions readerOptions, ErrorSink errors, out string? model)
    {
        model = null;
        if (json.Length > maxRecordBytes)
        {
            errors.Add(TooLarge, Root, $"record is {json.Length} bytes; the limit is {maxRecordBytes}");
            return false;
        }

        if (!Utf8.IsValid(json))
        {
            errors.Add(NotJson, Root, "record is not valid UTF-8");
            return false;
        }

        var reader = new Utf8JsonReader(json, readerOptions);
        JsonTokenType rootToken;
        try
        {
            if (!reader.Read())
            {
                errors.Add(NotJson, Root, "record is empty");
                return false;
            }

            rootToken = reader.TokenType;
            bool modelIsNext = false, modelKeySeen = false;
            do
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.String or JsonTokenType.PropertyName && reader.ValueIsEscaped && !CanUnescape(ref reader))
                {
                    errors.Add(NotJson, Root, "record contains a string with an invalid \\u escape (lone surrogate)");
                    return false;
                }

                if (token is JsonTokenType.String or JsonTokenType.PropertyName && !IsStorable(ref reader, errors))
                    return false;

                if (modelIsNext && token == JsonTokenType.String)
                {
                    model = reader.GetString();
                }

                modelIsNext = !modelKeySeen && token == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("model"u8);
                modelKeySeen |= modelIsNext;
            }
            while (reader.Read());
        }
        catch (JsonException ex)
        {
            errors.Add(NotJson, Root, $"record is not well-formed JSON: {ex.Message}");
            return false;
        }

        if (rootToken != JsonTokenType.StartObject)
        {
            errors.Add(WrongType, Root, $"record must be a JSON object but is {FieldReader.Describe(rootToken)}");
            return false;
        }

        return true;
    }

    // NUL (which can only arrive escaped) cannot be stored in PostgreSQL text, and a record's strings end up in the
    // monitor's tables: one such record stopped the consumer. Both are refused here, before the record goes anywhere.
    private static bool IsStorable(ref Utf8JsonReader reader, ErrorSink errors)
    {
        if (reader.ValueSpan.Length > MaxStringBytes)
        {
            errors.Add(InvalidValue, Root, $"record contains a string of {reader.ValueSpan.Length} bytes; the limit is {MaxStringBytes}");
            return false;
        }

        if (reader.ValueIsEscaped && reader.GetString()!.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(InvalidValue, Root, "record contains a string with NUL (\\u0000)");
            return false;
        }

        return true;
    }

    private static bool CanUnescape(ref Utf8JsonReader reader)
    {
        try
        {
            _ = reader.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
