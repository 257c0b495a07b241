using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>The <c>aliases</c> and <c>alias_history</c> tables: every move is recorded.</summary>
public sealed class AliasStore
{
    private const string GetSql = "SELECT model_name, alias, version, updated_by, updated_at FROM aliases WHERE model_name = @model AND alias = @alias";

    /// <summary>An alias, or null when it is not set.</summary>
    public Task<AliasRow?> GetAsync(DbConnection connection, string model, string alias, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<AliasRow>(GetSql, new { model, alias }, transaction);

    private const string ListSql = "SELECT model_name, alias, version, updated_by, updated_at FROM aliases WHERE model_name = @model ORDER BY alias";

    /// <summary>A model's aliases.</summary>
    public async Task<IReadOnlyList<AliasRow>> ListAsync(DbConnection connection, string model, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<AliasRow>(ListSql, new { model }, transaction)];

    private const string ListAllSql = "SELECT model_name, alias, version, updated_by, updated_at FROM aliases ORDER BY model_name, alias";

    /// <summary>Every alias of every model.</summary>
    public async Task<IReadOnlyList<AliasRow>> ListAllAsync(DbConnection connection, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<AliasRow>(ListAllSql, transaction: transaction)];

    private const string UpsertSql = """
        INSERT INTO aliases (model_name, alias, version, updated_by, updated_at)
        VALUES (@ModelName, @Alias, @Version, @UpdatedBy, @UpdatedAt)
        ON CONFLICT (model_name, alias) DO UPDATE SET version = excluded.version, updated_by = excluded.updated_by, updated_at = excluded.updated_at
        """;

    private const string HistorySql = """
        INSERT INTO alias_history (model_name, alias, version, previous_version, reason, changed_by, changed_at)
        VALUES (@ModelName, @Alias, @Version, @PreviousVersion, @Reason, @ChangedBy, @ChangedAt)
        """;

    /// <summary>Points an alias at a version and records the move; returns the version it pointed at before.</summary>
    public async Task<int?> MoveAsync(DbConnection connection, AliasRow row, string reason, DbTransaction transaction)
    {
        var previous = await GetAsync(connection, row.ModelName, row.Alias, transaction);
        await connection.ExecuteAsync(UpsertSql, row, transaction);
        await connection.ExecuteAsync(HistorySql, new AliasHistoryRow
        {
            ModelName = row.ModelName,
            Alias = row.Alias,
            Version = row.Version,
            PreviousVersion = previous?.Version,
            Reason = reason,
            ChangedBy = row.UpdatedBy,
            ChangedAt = row.UpdatedAt,
        }, transaction);
        return previous?.Version;
    }

    private const string InsertIfAbsentSql = """
        INSERT INTO aliases (model_name, alias, version, updated_by, updated_at)
        VALUES (@ModelName, @Alias, @Version, @UpdatedBy, @UpdatedAt)
        ON CONFLICT (model_name, alias) DO NOTHING
        """;

    /// <summary>
    /// Points an alias at a version only if it is not set yet, and records that; false when it was set (two first
    /// versions registered at once: the first to commit wins, the other leaves the alias alone).
    /// </summary>
    public async Task<bool> SetIfAbsentAsync(DbConnection connection, AliasRow row, string reason, DbTransaction transaction)
    {
        if (await connection.ExecuteAsync(InsertIfAbsentSql, row, transaction) != 1)
            return false;
        await connection.ExecuteAsync(HistorySql, new AliasHistoryRow
        {
            ModelName = row.ModelName,
            Alias = row.Alias,
            Version = row.Version,
            PreviousVersion = null,
            Reason = reason,
            ChangedBy = row.UpdatedBy,
            ChangedAt = row.UpdatedAt,
        }, transaction);
        return true;
    }

    private const string HistoryListSql = """
        SELECT id, model_name, alias, version, previous_version, reason, changed_by, changed_at
        FROM alias_history WHERE model_name = @model AND alias = @alias ORDER BY id DESC
        """;

    /// <summary>An alias's moves, newest first.</summary>
    public async Task<IReadOnlyList<AliasHistoryRow>> HistoryAsync(DbConnection connection, string model, string alias, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<AliasHistoryRow>(HistoryListSql, new { model, alias }, transaction)];
}
