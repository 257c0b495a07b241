using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>The <c>models</c> table.</summary>
public sealed class ModelStore
{
    private const string Columns = "name, description, owner, task, schema_json, monitoring_json, policy_json, retraining_json, created_by, created_at, updated_at";

    private const string InsertSql = $"""
        INSERT INTO models ({Columns})
        VALUES (@Name, @Description, @Owner, @Task, @SchemaJson, @MonitoringJson, @PolicyJson, @RetrainingJson, @CreatedBy, @CreatedAt, @UpdatedAt)
        ON CONFLICT (name) DO NOTHING
        """;

    /// <summary>Inserts a model; false when the name is taken.</summary>
    public async Task<bool> InsertAsync(DbConnection connection, ModelRow row, DbTransaction? transaction = null) =>
        await connection.ExecuteAsync(InsertSql, row, transaction) == 1;

    private const string UpdateSql = """
        UPDATE models SET description = @Description, owner = @Owner, monitoring_json = @MonitoringJson,
            policy_json = @PolicyJson, retraining_json = @RetrainingJson, updated_at = @UpdatedAt
        WHERE name = @Name
        """;

    /// <summary>Updates the mutable fields (description, owner, monitoring, policy); false when unknown.</summary>
    public async Task<bool> UpdateAsync(DbConnection connection, ModelRow row, DbTransaction? transaction = null) =>
        await connection.ExecuteAsync(UpdateSql, row, transaction) == 1;

    private const string GetSql = $"SELECT {Columns} FROM models WHERE name = @name";

    /// <summary>One model, or null.</summary>
    public Task<ModelRow?> GetAsync(DbConnection connection, string name, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<ModelRow>(GetSql, new { name }, transaction);

    private const string ListSql = $"SELECT {Columns} FROM models ORDER BY name";

    /// <summary>Every model, by name.</summary>
    public async Task<IReadOnlyList<ModelRow>> ListAsync(DbConnection connection, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<ModelRow>(ListSql, transaction: transaction)];
}
