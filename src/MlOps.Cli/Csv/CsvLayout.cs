using System.Buffers;
using Microsoft.Win32.SafeHandles;

namespace MlOps.Cli.Csv;

/// <summary>
/// Where a CSV file's data rows start and which delimiter separates their fields, worked out from the bytes as
/// <see cref="CsvSource"/>'s reader (Sylvan) does, so that <see cref="ChunkedSampleReader"/> can split the rows
/// without it. Only for files that reader reads plainly: anything it treats specially is left to it.
/// </summary>
internal readonly record struct CsvLayout(long DataStart, byte Delimiter)
{
    /// <summary>Sylvan's record buffer in <see cref="CsvSource"/> (characters); delimiter detection looks no further.</summary>
    internal const int ReaderBufferChars = 1 << 16;

    // Sylvan's candidates, in its order of preference on equal counts.
    private static readonly byte[] Candidates = [(byte)',', (byte)'\t', (byte)';', (byte)'|'];

    /// <summary>
    /// Reads the start of the file. False when the file is not plain UTF-8 (another byte-order mark), when its first
    /// line is a comment, when it uses a lone carriage return as line end, or when its header line is too long to be
    /// sure of the delimiter.
    /// </summary>
    public static bool TryDetect(SafeFileHandle file, long length, out CsvLayout layout)
    {
        layout = default;
        int size = (int)Math.Min(length, ReaderBufferChars + 4);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            var head = rented.AsSpan(0, ChunkedSampleReader.ReadFully(file, rented.AsSpan(0, size), 0));
            bool wholeFile = head.Length == length;
            int bom = 0;
            if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
                bom = 3;
            else if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]) || head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || head.StartsWith((ReadOnlySpan<byte>)[0, 0, 0xFE, 0xFF]))
                return false; // UTF-16 or UTF-32: the reader decodes those, the byte splitter does not
            var text = head[bom..];
            if (text.IsEmpty || text[0] == '#')
                return false;
            if (!TryDetectDelimiter(text, wholeFile, out byte delimiter))
                return false;
            if (!TryFindHeaderEnd(text, delimiter, wholeFile, out int dataStart))
                return false;
            layout = new CsvLayout(bom + dataStart, delimiter);
            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Sylvan's auto-detection: count the candidates up to the end of the first line that holds any (the header,
    /// unless it has a single column), within the reader's first buffer; the most frequent wins, ',' when none.
    /// </summary>
    private static bool TryDetectDelimiter(ReadOnlySpan<byte> text, bool wholeFile, out byte delimiter)
    {
        delimiter = (byte)',';
        Span<int> counts = stackalloc int[Candidates.Length];
        int total = 0;
        bool ended = false;
        for (int i = 0; i < text.Length && i < ReaderBufferChars; i++)
        {
            byte c = text[i];
            if (c is (byte)'\n' or (byte)'\r')
            {
                // Sylvan switches to old Mac line ends on a carriage return without a line feed after it.
                if (c == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
                    return false;
                if (total == 0)
                    continue;
                ended = true;
                break;
            }

            int k = Candidates.AsSpan().IndexOf(c);
            if (k >= 0)
            {
                counts[k]++;
                total++;
            }
        }

        // Bytes are at least as many as characters: stopping within the first buffer's worth of bytes is stopping
        // within the reader's buffer; otherwise only a file shorter than that buffer was read the same way.
        if (!ended && !(wholeFile && text.Length < ReaderBufferChars))
            return false;
        int best = 0;
        for (int k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[best])
                best = k;
        }

        if (counts[best] > 0)
            delimiter = Candidates[best];
        return true;
    }

    /// <summary>The offset after the header record's line end, reading quoted fields as Sylvan does.</summary>
    private static bool TryFindHeaderEnd(ReadOnlySpan<byte> text, byte delimiter, bool wholeFile, out int dataStart)
    {
        dataStart = 0;
        int i = 0;
        while (true)
        {
            // A field: quoted when it starts with a quote, up to the closing quote ("" is an escaped quote).
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    int q = text[i..].IndexOf((byte)'"');
                    if (q < 0)
                        return false; // not closed within the bytes read
                    i += q + 1;
                    if (i < text.Length && text[i] == '"')
                    {
                        i++;
                        continue;
                    }

                    break;
                }
            }

            int end = text[i..].IndexOfAny(delimiter, (byte)'\n', (byte)'\r');
            if (end < 0)
            {
                if (!wholeFile)
                    return false;
                dataStart = text.Length; // a header and no line end: no rows
                return true;
            }

            i += end;
            byte c = text[i];
            if (c == delimiter)
            {
                i++;
                continue;
            }

            if (c == '\r')
            {
                if (i + 1 < text.Length && text[i + 1] == '\n')
                {
                    dataStart = i + 2;
                    return true;
                }

                // A lone carriage return switches Sylvan to old Mac line ends; at the very end it just ends the header.
                if (i + 1 == text.Length && wholeFile)
                {
                    dataStart = text.Length;
                    return true;
                }

                return false;
            }

            dataStart = i + 1;
            return true;
        }
    }
}
