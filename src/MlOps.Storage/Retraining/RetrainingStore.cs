using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Retraining;

/// <summary>
/// The orchestrator's tables: <c>retraining_sagas</c> (one row per model, optimistic concurrency on <c>version</c>)
/// and <c>retraining_runs</c> (what the API shows). Same SQL on SQLite and PostgreSQL.
/// </summary>
public sealed class RetrainingStore
{
    private const string SagaColumns = "correlation_id, model, version, current_state, deadline, state_json, updated_at";

    private const string LoadSql = $"SELECT {SagaColumns} FROM retraining_sagas WHERE correlation_id = @id";

    /// <summary>One saga row, or null.</summary>
    public Task<SagaRow?> LoadAsync(DbConnection c, string id, DbTransaction? tx = null) =>
        c.QuerySingleOrDefaultAsync<SagaRow>(LoadSql, new { id }, tx);

    // ON CONFLICT DO NOTHING: a failed INSERT would abort a PostgreSQL transaction; 0 rows tells the caller another
    // consumer created the instance first, and it loads that one instead.
    private const string InsertSql = $"""
        INSERT INTO retraining_sagas ({SagaColumns})
        VALUES (@CorrelationId, @Model, @Version, @CurrentState, @Deadline, @StateJson, @UpdatedAt)
        ON CONFLICT (correlation_id) DO NOTHING
        """;

    /// <summary>Inserts a saga row; false when one with that id exists.</summary>
    public async Task<bool> InsertAsync(DbConnection c, SagaRow row, DbTransaction? tx = null) =>
        await c.ExecuteAsync(InsertSql, row, tx) == 1;

    private const string UpdateSql = """
        UPDATE retraining_sagas
        SET version = @Version, current_state = @CurrentState, deadline = @Deadline, state_json = @StateJson, updated_at = @UpdatedAt
        WHERE correlation_id = @CorrelationId AND version = @expected
        """;

    /// <summary>Writes <paramref name="row"/> (whose <c>Version</c> is the new one) if the stored version is still <paramref name="expected"/>.</summary>
    public async Task<bool> UpdateAsync(DbConnection c, SagaRow row, int expected, DbTransaction? tx = null) =>
        await c.ExecuteAsync(UpdateSql, new { row.CorrelationId, row.Version, row.CurrentState, row.Deadline, row.StateJson, row.UpdatedAt, expected }, tx) == 1;

    /// <summary>Deletes a saga row.</summary>
    public Task DeleteAsync(DbConnection c, string id, DbTransaction? tx = null) =>
        c.ExecuteAsync("DELETE FROM retraining_sagas WHERE correlation_id = @id", new { id }, tx);

    private const string DueSql = "SELECT correlation_id, deadline FROM retraining_sagas WHERE deadline IS NOT NULL AND deadline <= @now ORDER BY deadline LIMIT 100";

    /// <summary>Sagas whose deadline passed: (correlation id, deadline), oldest first, at most 100.</summary>
    public async Task<IReadOnlyList<(string CorrelationId, long Deadline)>> DueAsync(DbConnection c, long now) =>
        [.. await c.QueryAsync<(string, long)>(DueSql, new { now })];

    private const string WaitingSql = "SELECT correlation_id, deadline FROM retraining_sagas WHERE deadline IS NOT NULL AND current_state IN ('Training', 'Evaluating') AND updated_at < @before ORDER BY deadline LIMIT 100";

    /// <summary>Sagas waiting for a trainer's answer (training or evaluating) whose row was last written before <paramref name="before"/> (Unix ms): (correlation id, deadline).</summary>
    public async Task<IReadOnlyList<(string CorrelationId, long Deadline)>> WaitingSinceBeforeAsync(DbConnection c, long before) =>
        [.. await c.QueryAsync<(string, long)>(WaitingSql, new { before })];

    private const string RunColumns = "id, model, state, trigger_kind, reason, challenger_version, promotion_id, history_json, created_at, updated_at";

    private const string UpsertRunSql = $"""
        INSERT INTO retraining_runs ({RunColumns})
        VALUES (@Id, @Model, @State, @TriggerKind, @Reason, @ChallengerVersion, @PromotionId, @HistoryJson, @CreatedAt, @UpdatedAt)
        ON CONFLICT (id) DO UPDATE SET state = excluded.state, reason = excluded.reason,
            challenger_version = excluded.challenger_version, promotion_id = excluded.promotion_id,
            history_json = excluded.history_json, updated_at = excluded.updated_at
        """;

    /// <summary>Inserts or updates a run.</summary>
    public Task UpsertRunAsync(DbConnection c, RunRow row, DbTransaction? tx = null) => c.ExecuteAsync(UpsertRunSql, row, tx);

    /// <summary>One run, or null.</summary>
    public Task<RunRow?> GetRunAsync(DbConnection c, string id) =>
        c.QuerySingleOrDefaultAsync<RunRow>($"SELECT {RunColumns} FROM retraining_runs WHERE id = @id", new { id });

    /// <summary>Runs, newest first, of one model or all; at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<RunRow>> ListRunsAsync(DbConnection c, string? model, int limit) =>
        // Two statements, not "@model IS NULL OR …": PostgreSQL cannot type a null parameter.
        [.. await c.QueryAsync<RunRow>(
            model is null
                ? $"SELECT {RunColumns} FROM retraining_runs ORDER BY created_at DESC, id DESC LIMIT @limit"
                : $"SELECT {RunColumns} FROM retraining_runs WHERE model = @model ORDER BY created_at DESC, id DESC LIMIT @limit",
            new { model, limit })];
}
