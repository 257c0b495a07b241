using System.Globalization;
using System.Text;
using MlOps.Cli.Csv;

namespace MlOps.Cli.Tests.Csv;

/// <summary>
/// The parallel byte reader against the row-by-row reader (Sylvan) on the same files: same rows, values, missing
/// values, inferred types and errors, whatever the segment size; and files it cannot split are left to the other.
/// </summary>
public sealed class ChunkedSampleReaderTests : IDisposable
{
    // Tiny segments put segment boundaries everywhere: inside numbers, between \r and \n, on empty lines.
    private static readonly int[] SegmentSizes = [1, 2, 3, 5, 8, 13, 64, ChunkedSampleReader.DefaultSegmentBytes];

    private static readonly (string, ColumnType)[] InferAbc = [("a", ColumnType.Infer), ("b", ColumnType.Infer), ("c", ColumnType.Infer)];

    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public void Plain_numbers_read_as_the_row_reader_reads_them()
    {
        string path = _files.Write("plain.csv", "a,b,c\n1,2.5,-3\n4e2,.5,+6.\n-0,0,1.23457e-05\n");
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        var (columns, rows) = Read(path, InferAbc, 3);
        Assert.Equal(3, rows);
        Assert.Equal([-3, 1.23457e-05, 6], Sorted(columns[2]));
    }

    [Fact]
    public void Crlf_line_ends_are_read_like_line_feeds()
    {
        string path = _files.Write("crlf.csv", "a,b,c\r\n1,2,3\r\n4,,6\r\n\r\n7,8,9\r\n");
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        var (columns, rows) = Read(path, InferAbc, 4);
        Assert.Equal(4, rows); // the empty line is a row of missing values, as in the row reader
        Assert.Equal([3, 6, 9], Sorted(columns[2]));
        Assert.Equal(2, columns[1].Missing);
    }

    [Fact]
    public void Last_line_without_a_line_end_is_read()
    {
        foreach (string end in new[] { "", "\r" })
        {
            string path = _files.Write("nolf.csv", "a,b,c\n1,2,3\n4,5,6" + end);
            AssertSameAsRowReader(path, InferAbc, expectChunked: true);
            Assert.Equal(2, Read(path, InferAbc, 2).Rows);
        }
    }

    [Fact]
    public void Utf8_byte_order_mark_is_skipped()
    {
        string path = _files.Write("bom.csv", "");
        File.WriteAllBytes(path, [0xEF, 0xBB, 0xBF, .. "a,b,c\n1,2,3\n4,5,6\n"u8]);
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        Assert.Equal([1, 4], Sorted(Read(path, InferAbc, 5).Columns[0]));
    }

    [Fact]
    public void Short_and_long_rows_and_empty_lines_are_missing_values()
    {
        string path = _files.Write("short.csv", "a,b,c\n1\n2,3\n\n4,5,6,7,8\n9,,\n,\n");
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        var (columns, rows) = Read(path, InferAbc, 3);
        Assert.Equal(6, rows);
        Assert.Equal(5, columns[2].Missing);
    }

    [Fact]
    public void Pandas_na_strings_and_non_finite_numbers_are_missing()
    {
        string[] tokens = ["", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null", " NA ", "Infinity", "-Infinity", "1e400"];
        string path = _files.Write("na.csv", "a,b,c\n" + string.Concat(tokens.Select((t, i) => $"{i},{t},{t}\n")));
        (string, ColumnType)[] columns = [("a", ColumnType.Numeric), ("b", ColumnType.Infer), ("c", ColumnType.Categorical)];
        AssertSameAsRowReader(path, columns, expectChunked: true);
        var (samples, _) = Read(path, columns, 7);
        Assert.False(samples[1].NotNumeric);
        Assert.Equal(tokens.Length, samples[1].Missing);
    }

    [Fact]
    public void Numbers_past_the_fast_paths_read_as_the_row_reader_reads_them()
    {
        // 17 digits (how pandas and Python write doubles), long mantissas, large exponents, subnormals, overflow.
        string path = _files.Write("long.csv", "a,b,c\n0.30000000000000004,-4.9406564584124654e-324,12345678901234567890\n"
            + "0.12345678901234568,2.2250738585072011e-308,1e400\n-9007199254740993,1e0000000000000000000000000000023,-1e-400\n");
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        var (columns, _) = Read(path, InferAbc, 5);
        Assert.Equal([-9007199254740992, 0.12345678901234568, 0.30000000000000004], Sorted(columns[0]));
        Assert.Equal(1, columns[2].Missing);
    }

    [Fact]
    public void Text_in_an_inferred_column_makes_it_categorical_and_keeps_the_first_text()
    {
        var sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 500; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i},{(i == 300 ? "first" : i == 400 ? "second" : i.ToString(CultureInfo.InvariantCulture))},größe\n");
        string path = _files.Write("text.csv", sb.ToString());
        AssertSameAsRowReader(path, InferAbc, expectChunked: true);
        var (columns, _) = Read(path, InferAbc, 64);
        Assert.False(columns[0].NotNumeric);
        Assert.True(columns[1].NotNumeric);
        Assert.Equal("first", columns[1].FirstText);
        Assert.Equal("größe", columns[2].FirstText);
    }

    [Fact]
    public void Text_in_a_schema_numeric_column_names_the_line_even_in_a_later_segment()
    {
        var sb = new StringBuilder("a,b,c\n");
        for (int i = 0; i < 2_000; i++)
            sb.Append(CultureInfo.InvariantCulture, $"{i},{(i == 1_500 ? "oops" : "1")},{(i >= 1_700 ? "late" : "2")}\n");
        string path = _files.Write("bad.csv", sb.ToString());
        (string, ColumnType)[] columns = [("c", ColumnType.Numeric), ("b", ColumnType.Numeric)];
        AssertSameAsRowReader(path, columns, expectChunked: null);
        foreach (int size in SegmentSizes)
        {
            var error = Assert.Throws<InputException>(() => Read(path, columns, size));
            Assert.Equal($"{path}: line 1502, column 'b': 'oops' is not a number, but the schema says the column is numeric", error.Message);
        }
    }

    [Fact]
    public void Of_two_errors_in_a_row_the_first_listed_column_is_reported()
    {
        string path = _files.Write("two.csv", "a,b,c\n1,2,3\n1,x,y\n");
        (string, ColumnType)[] columns = [("c", ColumnType.Numeric), ("b", ColumnType.Numeric)];
        AssertSameAsRowReader(path, columns, expectChunked: null);
        Assert.Contains("line 3, column 'c': 'y'", Assert.Throws<InputException>(() => Read(path, columns, 4)).Message);
    }

    [Fact]
    public void Categorical_columns_count_labels()
    {
        string path = _files.Write("cat.csv", "a,b,c\nx,1,\ny,1,NA\nx,2,z\n");
        (string, ColumnType)[] columns = [("a", ColumnType.Categorical), ("b", ColumnType.Categorical), ("c", ColumnType.Categorical)];
        AssertSameAsRowReader(path, columns, expectChunked: true);
        var (samples, _) = Read(path, columns, 2);
        Assert.Equal(2, samples[0].Counts["x"]);
        Assert.Equal(2, samples[2].Missing);
    }

    [Theory]
    [InlineData("a;b;c\n1;2;3\n4;5,5;6\n", "b")]
    [InlineData("a\tb\tc\n1\t2\t3\n", "c")]
    [InlineData("a|b|c\n1|2|3\n", "b")]
    [InlineData("a,b;c;d\n1,2;3\n", "c")]
    [InlineData("a,b;c\n1,2;3\n", "b;c")]
    public void Delimiter_is_detected_as_the_row_reader_detects_it(string content, string column)
    {
        string path = _files.Write("delim.csv", content);
        AssertSameAsRowReader(path, [(column, ColumnType.Infer)], expectChunked: true);
    }

    [Fact]
    public void Single_column_takes_the_delimiter_of_the_first_line_that_has_one()
    {
        string path = _files.Write("single.csv", "a\n1\n2;3\n4,5\n");
        AssertSameAsRowReader(path, [("a", ColumnType.Infer)], expectChunked: true);
        Assert.True(Read(path, [("a", ColumnType.Infer)], 3).Columns[0].NotNumeric); // "4,5" with ';' as delimiter
    }

    [Theory]
    [InlineData("quoted field", "a,b,c\n1,\"2\",3\n")]
    [InlineData("quoted line end", "a,b,c\n1,\"x\ny\",3\n4,5,6\n")]
    [InlineData("comment line", "a,b,c\n1,2,3\n#N/A,5,6\n7,8,9\n")]
    [InlineData("comment before the header", "#x\na,b,c\n1,2,3\n")]
    [InlineData("old Mac line ends", "a,b,c\r1,2,3\r4,5,6\r")]
    [InlineData("carriage return in a row", "a,b,c\n1,2\r3,4\n")]
    public void Files_it_cannot_split_are_read_row_by_row(string why, string content)
    {
        string path = _files.Write("special.csv", content);
        Assert.True(AssertSameAsRowReader(path, InferAbc, expectChunked: false) is not null, why);
    }

    [Fact]
    public void Quoted_header_with_plain_rows_is_split()
    {
        string path = _files.Write("rstyle.csv", "\"a\",\"b,x\",\"c\"\"\"\n1,2,3\n4,5,6\n");
        AssertSameAsRowReader(path, [("a", ColumnType.Infer), ("b,x", ColumnType.Infer), ("c\"", ColumnType.Infer)], expectChunked: true);
    }

    [Fact]
    public void Utf16_files_are_read_row_by_row()
    {
        string path = _files.Write("utf16.csv", "");
        File.WriteAllText(path, "a,b,c\n1,2,3\n", Encoding.Unicode);
        AssertSameAsRowReader(path, InferAbc, expectChunked: false);
    }

    [Fact]
    public void Lines_longer_than_the_row_readers_buffer_are_left_to_it()
    {
        string path = _files.Write("long.csv", "a,b,c\n1,2,3\n4,5," + new string('9', ChunkedSampleReader.MaxLineBytes) + "\n");
        AssertSameAsRowReader(path, InferAbc, expectChunked: false);
    }

    [Fact]
    public void Header_only_file_has_no_rows()
    {
        foreach (string content in new[] { "a,b,c", "a,b,c\n", "a,b,c\r\n" })
        {
            string path = _files.Write("header.csv", content);
            AssertSameAsRowReader(path, InferAbc, expectChunked: true);
            Assert.Equal(0, Read(path, InferAbc, 4).Rows);
        }
    }

    [Fact]
    public void Cancellation_stops_the_read()
    {
        string path = _files.Write("cancel.csv", "a,b,c\n1,2,3\n");
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => SampleReader.Read(path, InferAbc, ProgressReporter.None, cancelled.Token, 4));
    }

    [Fact]
    public void Random_files_read_the_same_both_ways()
    {
        string[] tokens =
        [
            "1", "-2.5", "3e2", "1.23457e-05", "-0", "+7", ".5", "8.", "0.1234567890123456789", "12345678901234567890", "1e400", "1e-400",
            "1.e5", "1e", "--1", " 2 ", "Infinity", "-Infinity", "NaN", "nan", "NA", "", "N/A", "null", "abc", "größe", "\u00a0NA", "١", "0x10",
            "\u00ff\u00fe", "#N/A", "0.30000000000000004", "-2.4703282292062328e-324", "-1e-400", "1e0005", "1.7976931348623159e308",
            "123456789012345678901234567890e-300",
        ];
        var random = new Random(42);
        for (int file = 0; file < 150; file++)
        {
            char delimiter = file % 5 == 0 ? ';' : ',';
            var sb = new StringBuilder(string.Join(delimiter, "a", "b", "c", "d"));
            string lineEnd = file % 3 == 0 ? "\r\n" : "\n";
            int rows = random.Next(0, 40);
            for (int r = 0; r < rows; r++)
            {
                sb.Append(lineEnd);
                int fields = random.Next(10) == 0 ? random.Next(0, 6) : 4;
                // Mostly numbers, so that inferred columns stay numeric often enough to compare their values.
                sb.AppendJoin(delimiter, Enumerable.Range(0, fields).Select(_ => random.Next(4) == 0 ? tokens[random.Next(tokens.Length)] : tokens[random.Next(10)]));
            }

            if (random.Next(2) == 0)
                sb.Append(lineEnd);
            string path = _files.Write($"random{file}.csv", sb.ToString());
            var types = new[] { ColumnType.Infer, ColumnType.Categorical, ColumnType.Numeric };
            (string, ColumnType)[] columns = [("a", ColumnType.Infer), ("c", types[random.Next(3)]), ("b", types[random.Next(2)]), ("d", ColumnType.Infer)];
            AssertSameAsRowReader(path, columns, expectChunked: null);
        }
    }

    private static (IReadOnlyList<ColumnSample> Columns, long Rows) Read(string path, IReadOnlyList<(string, ColumnType)> columns, int segmentBytes) =>
        SampleReader.Read(path, columns, ProgressReporter.None, CancellationToken.None, segmentBytes);

    private static double[] Sorted(ColumnSample sample)
    {
        var values = sample.Numbers.ToArray();
        Array.Sort(values);
        return values;
    }

    /// <summary>Compares every segment size with the row reader; returns the row reader's description.</summary>
    private static string AssertSameAsRowReader(string path, IReadOnlyList<(string Name, ColumnType Type)> columns, bool? expectChunked)
    {
        string expected = Describe(path, columns, 0);
        Assert.DoesNotContain("unknown column", expected);
        foreach (int size in SegmentSizes)
            Assert.Equal(expected, Describe(path, columns, size));
        if (expectChunked is { } chunked)
        {
            using var source = CsvSource.Open(path);
            var ordinals = columns.Select(c => (c.Name, c.Type, source.Ordinal(c.Name))).ToArray();
            bool split;
            try
            {
                split = ChunkedSampleReader.TryRead(path, ordinals, ProgressReporter.None, CancellationToken.None, 4) is not null;
            }
            catch (InputException)
            {
                split = true; // it read far enough to find the error itself
            }

            Assert.True(chunked == split, chunked ? "expected the chunked reader to read the file" : "expected the chunked reader to decline the file");
        }

        return expected;
    }

    /// <summary>Everything the drift check uses from a read, as text (numbers as bits, sorted).</summary>
    private static string Describe(string path, IReadOnlyList<(string Name, ColumnType Type)> columns, int segmentBytes)
    {
        (IReadOnlyList<ColumnSample> Columns, long Rows) read;
        try
        {
            read = Read(path, columns, segmentBytes);
        }
        catch (InputException e)
        {
            return "error: " + e.Message;
        }

        var sb = new StringBuilder().Append(CultureInfo.InvariantCulture, $"rows {read.Rows}\n");
        foreach (var c in read.Columns)
        {
            sb.Append(CultureInfo.InvariantCulture, $"{c.Name} {c.Type} notNumeric={c.NotNumeric} firstText={c.FirstText}");
            // Once an inferred column meets text it is read again as labels: what else it gathered is not used.
            if (!c.NotNumeric)
            {
                sb.Append(CultureInfo.InvariantCulture, $" missing={c.Missing} numbers=");
                // Bits, so that −0.0 and +0.0 differ, sorted as bits: the comparison sort may order the zeros either way.
                sb.AppendJoin(' ', c.Numbers.ToArray().Select(BitConverter.DoubleToInt64Bits).Order().Select(b => b.ToString("X", CultureInfo.InvariantCulture)));
                sb.Append(" labels=").AppendJoin(' ', c.Counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}"));
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }
}
