using System.Data.Common;
using Dapper;

namespace MlOps.Storage;

/// <summary>
/// Applies the numbered <c>.sql</c> files embedded under <c>Migrations/&lt;dialect&gt;/</c> in order, each once,
/// recorded in <c>schema_migrations</c>. Concurrent start-ups serialise on a lock (PostgreSQL advisory lock,
/// SQLite write lock), so two instances never apply the same migration twice.
/// </summary>
internal sealed class MigrationRunner(Database database)
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER NOT NULL PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at BIGINT  NOT NULL
        )
        """;

    private const string LockPostgres = "SELECT pg_advisory_xact_lock(7250212611)";
    private const string SelectApplied = "SELECT version FROM schema_migrations";
    private const string InsertApplied = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    public async Task<IReadOnlyList<string>> ApplyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await Database.BeginAsync(connection, cancellationToken);
        if (database.Provider == StorageProvider.Postgres)
            await connection.ExecuteAsync(LockPostgres, transaction: transaction);
        await connection.ExecuteAsync(CreateTable, transaction: transaction);
        var applied = (await connection.QueryAsync<long>(SelectApplied, transaction: transaction)).ToHashSet();
        var done = new List<string>();
        foreach (var (version, name, sql) in Scripts(database.Provider))
        {
            if (applied.Contains(version))
                continue;
            await Execute(connection, transaction, sql, name);
            await connection.ExecuteAsync(InsertApplied, new { Version = version, Name = name, AppliedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() }, transaction);
            done.Add(name);
        }

        await transaction.CommitAsync(cancellationToken);
        return done;
    }

    internal static IEnumerable<(long Version, string Name, string Sql)> Scripts(StorageProvider provider)
    {
        var assembly = typeof(MigrationRunner).Assembly;
        string prefix = $"MlOps.Storage.Migrations.{(provider == StorageProvider.Postgres ? "postgres" : "sqlite")}/";
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            string name = resource[prefix.Length..];
            long version = long.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }

    private static async Task Execute(DbConnection connection, DbTransaction transaction, string sql, string name)
    {
        try
        {
            await connection.ExecuteAsync(sql, transaction: transaction);
        }
        catch (DbException e)
        {
            throw new InvalidOperationException($"Migration {name} failed: {e.Message}", e);
        }
    }
}
