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

    public static ReadOnlySpan<byte> SkipBom(ReadOnlySpan<byte> json) =>
        json.StartsWith("\uFEFF"u8) ? json[3..] : json;

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
