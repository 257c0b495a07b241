using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Contracts.Serialization;

/// <summary>
/// Writes event timestamps as ISO-8601 UTC with a <c>Z</c> suffix (the documented wire form, instead of the
/// serializer's <c>+00:00</c>) and reads only timestamps that carry an offset, so event time never depends on
/// the reader's time zone.
/// </summary>
public sealed class UtcTimestampJsonConverter : JsonConverter<DateTimeOffset>
{
    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (!Timestamps.TryRead(ref reader, out var value))
        {
            throw new JsonException("Expected an ISO-8601 timestamp with an offset, e.g. \"2026-11-24T10:15:02.123Z\".");
        }

        return value;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.UtcDateTime);
    }
}
