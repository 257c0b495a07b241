using Dapper;
using Npgsql;

using MlOps.Storage;

namespace MlOps.Testing;

/// <summary>
/// Real databases for tests: a SQLite file per test class, and a schema per test class in the PostgreSQL server
/// named by <c>MLOPS_TEST_POSTGRES</c> (default: the one <c>deploy/local/services.sh start</c> runs on 127.0.0.1).
/// A missing server fails the tests; it never skips them.
/// </summary>
public static class TestDatabases
{
    public const string DefaultPostgres = "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres;Timeout=10";

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("MLOPS_TEST_POSTGRES") is { Length: > 0 } s ? s : DefaultPostgres;

    // Named like the platform's own pool, so the connection string never becomes a label on a host's /metrics page
    // (tests run hosts in this process and read that page).
    private static readonly Lazy<NpgsqlDataSource> Server = new(() => new NpgsqlDataSourceBuilder(PostgresServer) { Name = "mlops-tests" }.Build());

    public static StorageOptions NewSqlite() => new()
    {
        Provider = StorageProvider.Sqlite,
        ConnectionString = $"Data Source={Path.Combine(Path.GetTempPath(), $"mlops-test-{Guid.NewGuid():N}.db")}",
    };

    /// <summary>Creates a fresh schema and returns options whose search path points at it.</summary>
    public static async Task<StorageOptions> NewPostgresSchemaAsync()
    {
        string schema = $"test_{Guid.NewGuid():N}";
        NpgsqlConnection connection;
        try
        {
            connection = await Server.Value.OpenConnectionAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable ({e.Message}). Start it with 'deploy/local/services.sh start' or set MLOPS_TEST_POSTGRES.", e);
        }

        await using (connection)
            await connection.ExecuteAsync($"CREATE SCHEMA {schema}");
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer) { SearchPath = schema };
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = builder.ToString() };
    }

    public static async Task DropAsync(StorageOptions options)
    {
        if (options.Provider == StorageProvider.Postgres)
        {
            string schema = new NpgsqlConnectionStringBuilder(options.ConnectionString).SearchPath!;
            await using var connection = await Server.Value.OpenConnectionAsync();
            await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
        }
        else
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            string file = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString).DataSource;
            foreach (string path in new[] { file, file + "-wal", file + "-shm" })
                File.Delete(path);
        }
    }
}
