using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace MlOps.Cli.Csv;

/// <summary>
/// Parses segments of a CSV file for <see cref="ChunkedSampleReader"/>, one thread's: its read buffer and its share of the
/// columns. A segment is a fixed byte range; it owns the lines that start in it and reads on past its end to finish
/// the last one. A line that Sylvan would read differently (quotes, a comment, a carriage return alone, more than its
/// buffer) declines the file.
/// </summary>
internal sealed class SegmentParser
{
    private readonly SafeFileHandle _file;
    private readonly long _length;
    private readonly long _dataStart;
    private readonly int _segmentBytes;
    private readonly byte[] _buffer;
    private readonly ColumnSample[] _samples;
    private readonly DoubleBuffer?[] _numbersAt; // by ordinal: null for columns not read or categorical
    private readonly int[] _sampleOfOrdinal;
    private readonly byte _delimiter;

    // The row being parsed: the first error in column order, and the segment's first texts.
    private int _errorColumn;
    private string? _errorText;
    private string?[]? _firstText;

    public SegmentParser(SafeFileHandle file, long length, CsvLayout layout, IReadOnlyList<(string Name, ColumnType Type, int Ordinal)> columns, int[] sampleOfOrdinal, int segmentBytes)
    {
        _file = file;
        _length = length;
        _dataStart = layout.DataStart;
        _segmentBytes = segmentBytes;
        // The bytes read (up to a segment, a line past it and one byte before it) and a line end after them.
        _buffer = GC.AllocateUninitializedArray<byte>((int)Math.Min(segmentBytes + ChunkedSampleReader.MaxLineBytes + 2L, length - layout.DataStart + 2) + SimpleDecimal.Padding);
        _samples = columns.Select(c => new ColumnSample(c.Name, c.Ordinal, c.Type)).ToArray();
        _sampleOfOrdinal = sampleOfOrdinal;
        _numbersAt = new DoubleBuffer?[_sampleOfOrdinal.Length];
        foreach (var sample in _samples)
        {
            if (sample.Type != ColumnType.Categorical)
                _numbersAt[sample.Ordinal] = sample.Numbers;
        }

        _delimiter = layout.Delimiter;
    }

    /// <summary>How a segment ended.</summary>
    public enum Outcome
    {
        /// <summary>Every line read.</summary>
        Complete,

        /// <summary>Text in a schema-numeric column.</summary>
        Error,

        /// <summary>A line the row-by-row reader reads differently: the whole file goes to it.</summary>
        Decline,
    }

    /// <summary>Adds this thread's columns to <paramref name="totals"/>.</summary>
    public void AddTo(ColumnSample[] totals)
    {
        for (int s = 0; s < totals.Length; s++)
            totals[s].Add(_samples[s]);
    }

    /// <summary>Parses segment <paramref name="k"/> into this thread's columns.</summary>
    /// <remarks>Optimised from the first call: a command runs these loops once, long before tiered compilation would.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public Result Parse(int k)
    {
        long dataStart = _dataStart, length = _length;
        long start = dataStart + ((long)k * _segmentBytes);
        long end = Math.Min(start + _segmentBytes, length);
        // One byte before the segment tells whether its first byte starts a line.
        long from = start == dataStart ? start : start - 1;
        long to = Math.Min(end + ChunkedSampleReader.MaxLineBytes, length);
        int count = ChunkedSampleReader.ReadFully(_file, _buffer.AsSpan(0, (int)(to - from)), from);
        bool atEnd = from + count == length;
        _buffer[count] = (byte)'\n'; // every line, the file's last one too, is followed by a line end
        var data = _buffer.AsSpan(0, count);
        int limit = (int)(end - from); // lines starting before this are the segment's

        int p = 0;
        if (start != dataStart)
        {
            int newline = data[..limit].IndexOf((byte)'\n');
            if (newline < 0)
                return new Result { Outcome = Outcome.Complete, Bytes = end - start };
            p = newline + 1;
        }

        _firstText = null;
        long rows = 0;
        while (p < limit)
        {
            var rest = data[p..];
            int stop = rest.IndexOfAny((byte)'\n', (byte)'\r', (byte)'"');
            int contentEnd, next;
            if (stop < 0)
            {
                if (!atEnd)
                    return new Result { Outcome = Outcome.Decline }; // a line longer than the bytes read past the segment
                contentEnd = next = count; // the last line, without a line end
            }
            else
            {
                contentEnd = p + stop;
                byte c = data[contentEnd];
                if (c == '\n')
                {
                    next = contentEnd + 1;
                }
                else if (c == '\r' && contentEnd + 1 < count && data[contentEnd + 1] == '\n')
                {
                    next = contentEnd + 2;
                }
                else if (c == '\r' && contentEnd + 1 == count && atEnd)
                {
                    next = count; // a carriage return ends the file's last line
                }
                else
                {
                    return new Result { Outcome = Outcome.Decline }; // quotes, or a carriage return alone (old Mac line ends)
                }
            }

            if (next - p > ChunkedSampleReader.MaxLineBytes || (contentEnd > p && data[p] == '#'))
                return new Result { Outcome = Outcome.Decline }; // too long for Sylvan to be sure it reads it, or a comment line it skips

            rows++;
            _errorColumn = int.MaxValue;
            ParseLine(p, contentEnd - p);
            if (_errorColumn != int.MaxValue)
                return new Result { Outcome = Outcome.Error, Rows = rows, ErrorColumn = _errorColumn, ErrorText = _errorText };
            p = next;
        }

        return new Result { Outcome = Outcome.Complete, Rows = rows, FirstText = _firstText, Bytes = end - start };
    }

    /// <summary>The line of <paramref name="length"/> bytes at <paramref name="start"/> in the buffer (a line end follows it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void ParseLine(int start, int length)
    {
        ref byte text = ref _buffer[start];
        var numbersAt = _numbersAt;
        bool shortForm = SimpleDecimal.ShortForm;
        byte delimiter = _delimiter;
        int last = numbersAt.Length - 1;
        int ordinal = 0, pos = 0;
        while (true)
        {
            // The common case inline; anything else (another column, another form, not a number) in Field.
            if (shortForm && numbersAt[ordinal] is { } numbers && SimpleDecimal.TryParseShort(ref text, length, pos, delimiter, out double value, out int end))
            {
                numbers.Add(value); // plain decimals are always finite
                pos = end;
            }
            else
            {
                pos = Field(start, length, ordinal, pos);
            }

            if (pos >= length || ordinal == last)
                break;
            pos++; // the delimiter
            ordinal++;
        }

        // A row shorter than the header: its missing fields are empty.
        if (ordinal < last)
        {
            for (int s = 0; s < _samples.Length; s++)
            {
                if (_samples[s].Ordinal > ordinal)
                    Field(s, []);
            }
        }
    }

    /// <summary>The field at <paramref name="pos"/> of the line, in any form; returns where it ends.</summary>
    private int Field(int start, int length, int ordinal, int pos)
    {
        var line = _buffer.AsSpan(start, length);
        int s = _sampleOfOrdinal[ordinal];
        if (s >= 0 && _numbersAt[ordinal] is { } numbers && SimpleDecimal.TryParseLong(ref _buffer[start], length, pos, _delimiter, out double value, out int end))
        {
            numbers.Add(value);
            return end;
        }

        int fieldEnd = line[pos..].IndexOf(_delimiter);
        fieldEnd = fieldEnd < 0 ? length : pos + fieldEnd;
        if (s >= 0)
            Field(s, line[pos..fieldEnd]);
        return fieldEnd;
    }

    /// <summary>A field that is not a plain decimal: the row-by-row reader's rules, on the decoded characters.</summary>
    private void Field(int s, ReadOnlySpan<byte> bytes)
    {
        var sample = _samples[s];
        if (bytes.IsEmpty)
        {
            if (!sample.NotNumeric)
                sample.Missing++;
            return;
        }

        if (sample.NotNumeric)
            return;

        // Field by field, UTF-8 decodes as the whole stream does: separators are ASCII, never inside a sequence.
        Span<char> chars = bytes.Length <= 256 ? stackalloc char[256] : new char[bytes.Length];
        var field = chars[..Encoding.UTF8.GetChars(bytes, chars)];
        if (sample.Type == ColumnType.Categorical)
        {
            if (CsvSource.IsMissing(field))
                sample.Missing++;
            else
                sample.AddLabel(field);
            return;
        }

        if (CsvSource.TryParseNumber(field, out double value))
        {
            if (double.IsFinite(value))
                sample.Numbers.Add(value);
            else
                sample.Missing++; // pandas reads NaN as missing, and Evidently drops ±inf too
        }
        else if (CsvSource.IsMissing(field))
        {
            sample.Missing++;
        }
        else if (sample.Type == ColumnType.Numeric)
        {
            if (s < _errorColumn)
            {
                _errorColumn = s;
                _errorText = SampleReader.Shorten(field);
            }
        }
        else
        {
            sample.NotNumeric = true;
            sample.FirstText = SampleReader.Shorten(field);
            _firstText ??= new string?[_samples.Length];
            _firstText[s] ??= sample.FirstText;
        }
    }

    /// <summary>What a segment found: its rows (up to the error's), the first text of each inferred column, its size.</summary>
    public struct Result
    {
        public Outcome Outcome;
        public long Rows;
        public long Bytes;
        public int ErrorColumn;
        public string? ErrorText;
        public string?[]? FirstText;
    }
}
