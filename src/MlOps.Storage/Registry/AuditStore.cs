using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>
/// The append-only <c>audit_log</c>. This class only inserts and reads; the database itself refuses updates and
/// deletes (triggers), so no code path can rewrite history.
/// </summary>
public sealed class AuditStore
{
    private const string InsertSql = """
        INSERT INTO audit_log (at, actor, action, model_name, entity, entity_id, before_json, after_json)
        VALUES (@At, @Actor, @Action, @ModelName, @Entity, @EntityId, @BeforeJson, @AfterJson)
        """;

    /// <summary>Appends an entry, in the transaction of the change it records.</summary>
    public Task AppendAsync(DbConnection connection, AuditEntry entry, DbTransaction transaction) =>
        connection.ExecuteAsync(InsertSql, entry, transaction);

    private const string ListSql = """
        SELECT id, at, actor, action, model_name, entity, entity_id, before_json, after_json FROM audit_log
        WHERE (@model IS NULL OR model_name = @model) AND (@before IS NULL OR id < @before)
        ORDER BY id DESC
        LIMIT @limit
        """;

    /// <summary>Entries newest first, optionally of one model; page with <paramref name="beforeId"/>.</summary>
    public async Task<IReadOnlyList<AuditEntry>> ListAsync(DbConnection connection, string? model, long? beforeId = null, int limit = 200) =>
        [.. await connection.QueryAsync<AuditEntry>(ListSql, new { model, before = beforeId, limit })];
}
