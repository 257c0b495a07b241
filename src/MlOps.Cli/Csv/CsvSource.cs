using System.Globalization;
using System.Text;
using MlOps.Statistics.Profiles;
using Sylvan.Data.Csv;

namespace MlOps.Cli.Csv;

/// <summary>
/// A CSV file with a header row, read forward only (never loaded whole), with errors that name the file,
/// the line and the column.
/// </summary>
internal sealed class CsvSource : IDisposable, IProgressSource
{
    private readonly FileStream _stream;
    private readonly CsvDataReader _reader;
    private readonly Dictionary<string, int> _ordinals = new(StringComparer.Ordinal);
    private long _row;

    private CsvSource(string path, FileStream stream, CsvDataReader reader)
    {
        Path = path;
        _stream = stream;
        _reader = reader;
        for (int i = 0; i < reader.FieldCount; i++)
        {
            string name = reader.GetName(i);
            if (!_ordinals.TryAdd(name, i))
                throw new InputException($"{path}: line 1: column '{name}' appears twice in the header");
        }
    }

    /// <summary>The file's path as the user gave it.</summary>
    public string Path { get; }

    /// <summary>Column names in file order.</summary>
    public IReadOnlyList<string> Columns => [.. _ordinals.OrderBy(kv => kv.Value).Select(kv => kv.Key)];

    /// <summary>Bytes in the file.</summary>
    public long Length => _stream.Length;

    /// <summary>Bytes read so far (for progress).</summary>
    public long Position => _stream.Position;

    /// <summary>Data rows read so far.</summary>
    public long Row => _row;

    /// <summary>The current line number, the header being line 1 (exact for files without multi-line fields).</summary>
    public long Line => _row + 1;

    /// <summary>Opens a file and checks its header.</summary>
    public static CsvSource Open(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new InputException("a file path is empty");
        FileStream stream;
        try
        {
            stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.Open, Access = FileAccess.Read, Share = FileShare.Read, BufferSize = 0, Options = FileOptions.SequentialScan });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new InputException($"{path}: cannot open: {Describe(e)}");
        }

        try
        {
            if (stream.Length == 0)
                throw new InputException($"{path}: the file is empty (a header row is needed)");
            var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 20);
            var reader = CsvDataReader.Create(text, new CsvDataReaderOptions { HasHeaders = true, BufferSize = 1 << 16, OwnsReader = true });
            if (reader.FieldCount == 0 || (reader.FieldCount == 1 && string.IsNullOrWhiteSpace(reader.GetName(0))))
                throw new InputException($"{path}: line 1: no header row");
            bool allNumbers = true;
            for (int i = 0; i < reader.FieldCount && allNumbers; i++)
                allNumbers = double.TryParse(reader.GetName(i), NumberStyles.Float, CultureInfo.InvariantCulture, out _);
            if (allNumbers)
                throw new InputException($"{path}: line 1: no header row (the first line holds only numbers; add a line of column names)");
            return new CsvSource(path, stream, reader);
        }
        catch (InputException)
        {
            stream.Dispose();
            throw;
        }
        catch (Exception e) when (e is CsvFormatException or CsvMissingHeadersException or CsvRecordTooLargeException or IOException or DecoderFallbackException)
        {
            stream.Dispose();
            throw new InputException($"{path}: line 1: cannot read the header: {Describe(e)}");
        }
    }

    /// <summary>The ordinal of a column, or an error naming the file and the column.</summary>
    public int Ordinal(string column) =>
        _ordinals.TryGetValue(column, out int i)
            ? i
            : throw new InputException($"{Path}: unknown column '{column}' (columns: {string.Join(", ", Columns)})");

    /// <summary>Whether the file has the column.</summary>
    public bool HasColumn(string column) => _ordinals.ContainsKey(column);

    /// <summary>Moves to the next data row.</summary>
    public bool Read()
    {
        try
        {
            if (!_reader.Read())
                return false;
        }
        catch (Exception e) when (e is CsvFormatException or CsvRecordTooLargeException or IOException or DecoderFallbackException)
        {
            throw new InputException($"{Path}: line {Line + 1}: {Describe(e)}");
        }

        _row++;
        return true;
    }

    /// <summary>The field's characters; empty when the row is shorter than the header.</summary>
    public ReadOnlySpan<char> Field(int ordinal) => ordinal < _reader.RowFieldCount ? _reader.GetFieldSpan(ordinal) : [];

    /// <summary>True when the field is empty or one of pandas' NA strings (<see cref="MissingValues"/>).</summary>
    public static bool IsMissing(ReadOnlySpan<char> field) => MissingValues.IsMissing(field);

    /// <summary>Parses a number with the invariant culture; false for text.</summary>
    public static bool TryParseNumber(ReadOnlySpan<char> field, out double value) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    /// <summary>An error about the current row and a column.</summary>
    public InputException Error(string column, string message) => Error(Path, Line, column, message);

    /// <summary>An error about a line of a file and a column.</summary>
    public static InputException Error(string path, long line, string column, string message) => new($"{path}: line {line}, column '{column}': {message}");

    /// <inheritdoc/>
    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }

    private static string Describe(Exception e) => e switch
    {
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        _ => e.Message,
    };
}
