using Microsoft.Win32.SafeHandles;

namespace MlOps.Cli.Csv;

/// <summary>
/// Reads chosen columns of a CSV file as UTF-8 bytes, in segments parsed in parallel on every core, with the same
/// results as <see cref="SampleReader"/>'s row-by-row reading: the same values, missing values, row count, inferred
/// types and errors (the first in file order, with its line). Files that reader treats specially (quotes, comment
/// lines, old Mac line ends, other encodings, very long lines) are declined, and read row by row instead.
/// </summary>
/// <remarks>
/// A segment is a fixed byte range (see <see cref="SegmentParser"/>). Each thread parses segments in turn into its own
/// columns, added up at the end: values are kept in no particular order (they are sorted later), while what depends on
/// order (the first text of an inferred column, the first error) is kept per segment and settled in file order.
/// </remarks>
internal sealed class ChunkedSampleReader
{
    /// <summary>Bytes per segment: large enough to amortise a read, small enough to spread over the cores.</summary>
    internal const int DefaultSegmentBytes = 1 << 20;

    /// <summary>
    /// The longest line read here, terminator included. Sylvan refuses records longer than its buffer; at most this
    /// many bytes is safely within it (a character takes at least a byte), so longer lines go to it to decide.
    /// </summary>
    internal const int MaxLineBytes = CsvLayout.ReaderBufferChars / 2;

    private readonly string _path;
    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly CsvLayout _layout;
    private readonly IReadOnlyList<(string Name, ColumnType Type, int Ordinal)> _columns;
    private readonly int _segmentBytes;
    private readonly int[] _sampleOfOrdinal;
    private readonly SegmentParser.Result[] _segments;
    private int _next;
    private int _stopAfter = int.MaxValue;
    private long _position;

    private ChunkedSampleReader(string path, SafeFileHandle file, long length, CsvLayout layout, IReadOnlyList<(string Name, ColumnType Type, int Ordinal)> columns, int segmentBytes)
    {
        _path = path;
        _file = file;
        _length = length;
        _layout = layout;
        _columns = columns;
        _segmentBytes = segmentBytes;
        _sampleOfOrdinal = new int[columns.Max(c => c.Ordinal) + 1];
        Array.Fill(_sampleOfOrdinal, -1);
        for (int s = 0; s < columns.Count; s++)
            _sampleOfOrdinal[columns[s].Ordinal] = s;
        _segments = new SegmentParser.Result[(int)((length - layout.DataStart + segmentBytes - 1) / segmentBytes)];
        _position = layout.DataStart;
    }

    /// <summary>
    /// Reads the columns (name, type and ordinal in the file, whose header <see cref="CsvSource"/> has checked);
    /// null when the file needs the row-by-row reader.
    /// </summary>
    public static (ColumnSample[] Columns, long Rows)? TryRead(
        string path,
        IReadOnlyList<(string Name, ColumnType Type, int Ordinal)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken,
        int segmentBytes = DefaultSegmentBytes)
    {
        SafeFileHandle file;
        long length;
        try
        {
            file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
            length = RandomAccess.GetLength(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return null; // the row-by-row reader, which opened it already, reports whatever goes wrong
        }

        using (file)
        {
            if (!CsvLayout.TryDetect(file, length, out var layout))
                return null;
            var reader = new ChunkedSampleReader(path, file, length, layout, columns, segmentBytes);
            using var tracking = progress.Track(reader.Progress());
            return reader.Run(tracking, cancellationToken);
        }
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>, fewer only at the end of the file.</summary>
    internal static int ReadFully(SafeFileHandle file, Span<byte> buffer, long offset)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int read = RandomAccess.Read(file, buffer[total..], offset + total);
            if (read == 0)
                break;
            total += read;
        }

        return total;
    }

    private IProgressSource Progress() => new ProgressSource(this);

    private (ColumnSample[] Columns, long Rows)? Run(ProgressReporter.Tracking tracking, CancellationToken cancellationToken)
    {
        var totals = _columns.Select(c => new ColumnSample(c.Name, c.Ordinal, c.Type)).ToArray();
        var merge = new Lock();
        Parallel.For(0, Math.Min(Environment.ProcessorCount, Math.Max(_segments.Length, 1)), _ =>
        {
            var parser = new SegmentParser(_file, _length, _layout, _columns, _sampleOfOrdinal, _segmentBytes);
            int k;
            while ((k = Interlocked.Increment(ref _next) - 1) < _segments.Length && k <= Volatile.Read(ref _stopAfter) && !cancellationToken.IsCancellationRequested)
            {
                _segments[k] = parser.Parse(k);
                if (_segments[k].Outcome != SegmentParser.Outcome.Complete)
                    InterlockedMin(ref _stopAfter, k);
                else
                    Interlocked.Add(ref _position, _segments[k].Bytes);
                tracking.Report();
            }

            lock (merge)
                parser.AddTo(totals);
        });
        cancellationToken.ThrowIfCancellationRequested();

        // Settle in file order: the first segment that could not be read here, or met an error, decides.
        long rows = 0;
        for (int k = 0; k < _segments.Length; k++)
        {
            var segment = _segments[k];
            if (segment.Outcome == SegmentParser.Outcome.Decline)
                return null;
            if (segment.Outcome == SegmentParser.Outcome.Error)
            {
                var (name, _, _) = _columns[segment.ErrorColumn];
                throw CsvSource.Error(_path, line: rows + segment.Rows + 1, name, $"'{segment.ErrorText}' is not a number, but the schema says the column is numeric");
            }

            rows += segment.Rows;
            if (segment.FirstText is { } texts)
            {
                for (int s = 0; s < texts.Length; s++)
                {
                    if (texts[s] is { } text && !totals[s].NotNumeric)
                    {
                        totals[s].NotNumeric = true;
                        totals[s].FirstText = text;
                    }
                }
            }
        }

        return (totals, rows);
    }

    private static void InterlockedMin(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value < current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    private sealed class ProgressSource(ChunkedSampleReader reader) : IProgressSource
    {
        public long Position => Volatile.Read(ref reader._position);

        public long Length => reader._length;
    }
}
