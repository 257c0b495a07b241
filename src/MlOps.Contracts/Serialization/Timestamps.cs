using System.Text.Json;

namespace MlOps.Contracts.Serialization;

/// <summary>
/// The one place that decides what an event timestamp may look like, shared by the converter and the
/// validator so a record that validates also deserializes.
/// </summary>
internal static class Timestamps
{
    // "2026-11-24T10:15:02.1234567+00:00" is 33 bytes; anything much longer is not a timestamp.
    private const int MaxLength = 64;

    /// <summary>
    /// Reads an ISO-8601 string with an explicit offset (<c>Z</c> or <c>±hh:mm</c>). Without an offset the
    /// parser would assume the consumer's local zone, silently shifting event time between machines.
    /// </summary>
    public static bool TryRead(ref Utf8JsonReader reader, out DateTimeOffset value)
    {
        value = default;
        if (reader.TokenType != JsonTokenType.String || reader.HasValueSequence || reader.ValueSpan.Length > MaxLength)
        {
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxLength];
        scoped ReadOnlySpan<byte> text;
        if (reader.ValueIsEscaped)
        {
            if (!TryUnescape(ref reader, buffer, out var length))
            {
                return false;
            }

            text = buffer[..length];
        }
        else
        {
            text = reader.ValueSpan;
        }

        return HasOffset(text) && reader.TryGetDateTimeOffset(out value);
    }

    private static bool TryUnescape(ref Utf8JsonReader reader, scoped Span<byte> buffer, out int length)
    {
        try
        {
            length = reader.CopyString(buffer);
            return true;
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot be a timestamp.
            length = 0;
            return false;
        }
    }

    private static bool HasOffset(ReadOnlySpan<byte> text)
    {
        if (text.IndexOf((byte)'T') < 0)
        {
            return false;
        }

        if (text.Length > 0 && text[^1] == (byte)'Z')
        {
            return true;
        }

        return text.Length >= 6 && (text[^6] == (byte)'+' || text[^6] == (byte)'-') && text[^3] == (byte)':';
    }
}
