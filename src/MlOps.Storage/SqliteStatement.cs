using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MlOps.Storage;

/// <summary>
/// One SQL statement prepared once on a SQLite connection and run many times through SQLitePCL directly: values
/// bound by index (<c>?1</c>, <c>?2</c>, …), step, reset. The monitor's checkpoint writes and join lookups run
/// thousands of identical statements per second; ADO.NET's per-execution work (a reader per call, parameters found
/// by name) cost several times the insert itself. Runs inside whatever transaction the connection has open.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[512];

    public SqliteStatement(SqliteConnection connection, string sql)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Check(raw.sqlite3_prepare_v2(_db, sql, out _statement));
    }

    public SqliteStatement Bind(int index, string? value)
    {
        if (value is null)
        {
            Check(raw.sqlite3_bind_null(_statement, index));
            return this;
        }

        // Encoded into one reusable buffer: SQLite copies the value at bind time (SQLITE_TRANSIENT), and the string
        // overload allocated a zero-terminated copy of every value, several per row.
        int most = System.Text.Encoding.UTF8.GetMaxByteCount(value.Length);
        if (most > _utf8.Length)
            _utf8 = new byte[Math.Max(most, 2 * _utf8.Length)];
        int length = System.Text.Encoding.UTF8.GetBytes(value, _utf8);
        Check(raw.sqlite3_bind_text(_statement, index, _utf8.AsSpan(0, length)));
        return this;
    }

    /// <summary>Binds text given as UTF-8 bytes when there are some, else as a string (null: NULL).</summary>
    public SqliteStatement BindText(int index, ReadOnlyMemory<byte>? utf8, string? text)
    {
        if (utf8 is not { } bytes)
            return Bind(index, text);
        Check(raw.sqlite3_bind_text(_statement, index, bytes.Span));
        return this;
    }

    public SqliteStatement Bind(int index, long value)
    {
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        return this;
    }

    public SqliteStatement Bind(int index, double? value)
    {
        Check(value is { } v ? raw.sqlite3_bind_double(_statement, index, v) : raw.sqlite3_bind_null(_statement, index));
        return this;
    }

    /// <summary>Runs a statement that returns no rows; returns the rows it changed.</summary>
    public int Execute()
    {
        try
        {
            int rc = raw.sqlite3_step(_statement);
            if (rc != raw.SQLITE_DONE)
                Check(rc);
            return raw.sqlite3_changes(_db);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Runs a query, calling <paramref name="read"/> on each row; the statement is reset afterwards.</summary>
    public void Query(Action<SqliteStatement> read)
    {
        try
        {
            int rc;
            while ((rc = raw.sqlite3_step(_statement)) == raw.SQLITE_ROW)
                read(this);
            if (rc != raw.SQLITE_DONE)
                Check(rc);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public string Text(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string() ?? "";

    /// <summary>A text or blob column's bytes (UTF-8 for text), copied.</summary>
    public byte[] Bytes(int column) => raw.sqlite3_column_blob(_statement, column).ToArray();

    public long Int64(int column) => raw.sqlite3_column_int64(_statement, column);

    public double? DoubleOrNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL ? null : raw.sqlite3_column_double(_statement, column);

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
            throw new SqliteException($"SQLite Error {rc}: '{raw.sqlite3_errmsg(_db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(_db));
    }
}
