using Dapper;
using MlOps.Storage;
using Npgsql;

namespace MlOps.Monitoring.Tests;

/// <summary>A fresh PostgreSQL schema per test on the server named by <c>MLOPS_TEST_POSTGRES</c>; a missing server fails the test.</summary>
internal static class PostgresSchemas
{
    private static string Server =>
        Environment.GetEnvironmentVariable("MLOPS_TEST_POSTGRES") is { Length: > 0 } s ? s : "Host=127.0.0.1;Port=5432;Username=postgres;Password=postgres;Database=postgres;Timeout=10";

    public static async Task<StorageOptions> CreateAsync()
    {
        string schema = $"test_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(Server);
        try
        {
            await connection.OpenAsync();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            throw new InvalidOperationException($"PostgreSQL is not reachable ({e.Message}). Start it with 'deploy/local/services.sh start' or set MLOPS_TEST_POSTGRES.", e);
        }

        await connection.ExecuteAsync($"CREATE SCHEMA {schema}");
        return new StorageOptions { Provider = StorageProvider.Postgres, ConnectionString = new NpgsqlConnectionStringBuilder(Server) { SearchPath = schema }.ToString() };
    }

    public static async Task DropAsync(StorageOptions options)
    {
        string schema = new NpgsqlConnectionStringBuilder(options.ConnectionString).SearchPath!;
        await using var connection = new NpgsqlConnection(Server);
        await connection.OpenAsync();
        await connection.ExecuteAsync($"DROP SCHEMA IF EXISTS {schema} CASCADE");
    }
}
