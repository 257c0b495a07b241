using System.Text.Json;

namespace MlOps.Monitoring.Ingest;

/// <summary>
/// Splits an ingest body into its items without parsing them: a JSON array (<c>application/json</c>) gives its
/// elements, NDJSON (<c>application/x-ndjson</c>, one record per line, blank lines ignored) its lines. Each item
/// keeps its exact bytes, which the validator checks and the producer sends unchanged.
/// </summary>
public static class IngestBody
{
    /// <summary>
    /// The items, or why the body as a whole cannot be split (then nothing is ingested); <c>TooMany</c> says the reason
    /// is the record count, not the body's shape.
    /// </summary>
    public static (List<ReadOnlyMemory<byte>> Items, string? Error, bool TooMany) Split(ReadOnlyMemory<byte> body, bool ndjson, int maxItems)
    {
        var items = new List<ReadOnlyMemory<byte>>();
        if (ndjson)
        {
            var rest = body;
            while (rest.Length > 0)
            {
                int end = rest.Span.IndexOf((byte)'\n');
                var line = end < 0 ? rest : rest[..end];
                rest = end < 0 ? ReadOnlyMemory<byte>.Empty : rest[(end + 1)..];
                line = Trim(line);
                if (line.Length == 0)
                    continue;
                if (items.Count == maxItems)
                    return (items, TooMany(maxItems), true);
                items.Add(line);
            }

            return (items, null, false);
        }

        var reader = new Utf8JsonReader(body.Span, new JsonReaderOptions { MaxDepth = 64 });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                return (items, "A JSON body is an array of records; send one record per line as application/x-ndjson instead.", false);
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                long start = reader.TokenStartIndex;
                reader.Skip();
                if (items.Count == maxItems)
                    return (items, TooMany(maxItems), true);
                items.Add(body[(int)start..(int)reader.BytesConsumed]);
            }

            if (reader.TokenType != JsonTokenType.EndArray || reader.Read())
                return (items, "The JSON array is not closed, or something follows it.", false);
        }
        catch (JsonException e)
        {
            return (items, $"The body is not a well-formed JSON array: {e.Message} Send one record per line as application/x-ndjson to have each line judged on its own.", false);
        }

        return (items, null, false);
    }

    private static string TooMany(int maxItems) => $"At most {maxItems} records per request (MlOps:Monitoring:IngestMaxItems); split the batch.";

    private static ReadOnlyMemory<byte> Trim(ReadOnlyMemory<byte> line)
    {
        var span = line.Span;
        int start = 0, end = span.Length;
        while (start < end && span[start] is (byte)' ' or (byte)'\t' or (byte)'\r')
            start++;
        while (end > start && span[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r')
            end--;
        return line[start..end];
    }
}
