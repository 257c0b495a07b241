using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MlOps.Storage;

/// <summary>
/// Opens connections to the configured database (SQLite or PostgreSQL) and applies the migrations. Every store
/// uses one SQL text for both; only the migrations differ per dialect.
/// </summary>
public sealed class Database : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _postgres;
    private readonly string _sqliteConnectionString = "";

    // SQLite has one writer at a time. Writers of this process queue here and start the moment the last one commits;
    // left to SQLite's busy handler they would sleep in steps of milliseconds (other processes still do).
    private readonly SemaphoreSlim _sqliteWriter = new(1, 1);
    private static readonly TimeSpan SqliteWriterTimeout = TimeSpan.FromSeconds(30);

    static Database()
    {
        // Columns are snake_case, properties PascalCase.
        DefaultTypeMap.MatchNamesWithUnderscores = true;
    }

    /// <summary>Creates the database access for <paramref name="options"/>; nothing is opened yet.</summary>
    public Database(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Provider = options.Provider;
        if (Provider == StorageProvider.Postgres)
        {
            // Named, so Npgsql's metrics (exported on the anonymous /metrics page) label the pool "mlops" instead of
            // with the connection string: host, port, user, database and schema are nobody's business there.
            _postgres = new NpgsqlDataSourceBuilder(options.ConnectionString) { Name = "mlops" }.Build();
        }
        else
        {
            var builder = new SqliteConnectionStringBuilder(options.ConnectionString) { ForeignKeys = true, Pooling = true, DefaultTimeout = 30 };
            string? directory = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
            if (builder.Mode != SqliteOpenMode.Memory && !string.IsNullOrEmpty(directory))
                Directory.CreateDirectory(directory);
            _sqliteConnectionString = builder.ToString();
        }
    }

    /// <summary>The database kind.</summary>
    public StorageProvider Provider { get; }

    /// <summary>Opens a new connection (pooled).</summary>
    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
            return await _postgres.OpenConnectionAsync(cancellationToken);
        var connection = new SqliteConnection(_sqliteConnectionString);
        await connection.OpenAsync(cancellationToken);
        // WAL lets readers run beside the single writer; a busy writer is waited for, not failed.
        await connection.ExecuteAsync(SqlitePragmas);
        return connection;
    }

    /// <summary>
    /// Opens a new connection (pooled) synchronously, for a thread that waits for its queries anyway (the monitor's
    /// processing threads): blocking on the async open would need a thread-pool thread to finish it.
    /// </summary>
    public DbConnection Open()
    {
        if (_postgres is not null)
            return _postgres.OpenConnection();
        var connection = new SqliteConnection(_sqliteConnectionString);
        connection.Open();
        connection.Execute(SqlitePragmas);
        return connection;
    }

    private const string SqlitePragmas = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;";

    /// <summary>Runs <paramref name="work"/> in a transaction and commits it; rolls back on any exception.</summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken = default) =>
        InTransactionAsync(work, replayable: false, cancellationToken);

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction and commits it; rolls back on any exception. A
    /// <paramref name="replayable"/> transaction is one whose effect is rebuilt from upstream if it is lost — the
    /// monitor's checkpoints, which store the Kafka offsets they cover in the same transaction: its commit does not
    /// wait for the disk (SQLite <c>synchronous = NORMAL</c> in WAL mode, PostgreSQL <c>synchronous_commit = off</c>).
    /// A power cut or OS crash may then roll back the last commits as a whole, never corrupt or split one; the monitor
    /// reads again from the offsets that survived. A process crash loses nothing either way.
    /// </summary>
    public async Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, bool replayable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(cancellationToken);
        // As long as SQLite's own busy timeout would wait for another writer, then the same kind of error.
        if (connection is SqliteConnection && !await _sqliteWriter.WaitAsync(SqliteWriterTimeout, cancellationToken))
            throw new TimeoutException($"Another transaction of this process held the SQLite database for more than {SqliteWriterTimeout.TotalSeconds:N0} s.");
        if (replayable && connection is SqliteConnection)
            await connection.ExecuteAsync("PRAGMA synchronous = NORMAL;");
        try
        {
            await using var transaction = await BeginAsync(connection, cancellationToken);
            if (replayable && connection is NpgsqlConnection)
                await connection.ExecuteAsync("SET LOCAL synchronous_commit = off", transaction: transaction);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            // The setting belongs to the pooled connection: the next user gets the durable default back.
            if (connection is SqliteConnection)
            {
                if (replayable)
                    await connection.ExecuteAsync("PRAGMA synchronous = FULL;");
                _sqliteWriter.Release();
            }
        }
    }

    /// <summary>Applies the migrations that are not applied yet; safe to call from several processes at once.</summary>
    public Task<IReadOnlyList<string>> MigrateAsync(CancellationToken cancellationToken = default) =>
        new MigrationRunner(this).ApplyAsync(cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique-constraint violation (a conflict, not a failure).</summary>
    public static bool IsUniqueViolation(Exception exception) => exception switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        SqliteException sqlite => sqlite.SqliteErrorCode == 19 && sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };

    /// <summary>Begins a transaction that takes the write lock at once on SQLite, so racing writers queue instead of failing later.</summary>
    internal static async Task<DbTransaction> BeginAsync(DbConnection connection, CancellationToken cancellationToken) =>
        connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken);

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
            await _postgres.DisposeAsync();
        _sqliteWriter.Dispose();
    }
}
