using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Registry;

/// <summary>The <c>promotion_requests</c> and <c>promotion_approvals</c> tables.</summary>
public sealed class PromotionStore
{
    private const string Columns = "id, model_name, version, champion_version, state, requested_by, requested_at, expires_at, approvals_required, evidence_json, notes, decided_by, decided_at, decision_comment, row_version";

    private const string InsertSql = $"""
        INSERT INTO promotion_requests ({Columns})
        VALUES (@Id, @ModelName, @Version, @ChampionVersion, @State, @RequestedBy, @RequestedAt, @ExpiresAt, @ApprovalsRequired, @EvidenceJson, @Notes,
                @DecidedBy, @DecidedAt, @DecisionComment, @RowVersion)
        """;

    /// <summary>
    /// Inserts a request. A second pending request for the same model violates a unique index: the caller sees
    /// it with <see cref="Database.IsUniqueViolation"/> and answers 409.
    /// </summary>
    public Task InsertAsync(DbConnection connection, PromotionRow row, DbTransaction transaction) =>
        connection.ExecuteAsync(InsertSql, row, transaction);

    private const string GetSql = $"SELECT {Columns} FROM promotion_requests WHERE id = @id";

    /// <summary>One request, or null.</summary>
    public Task<PromotionRow?> GetAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        connection.QuerySingleOrDefaultAsync<PromotionRow>(GetSql, new { id }, transaction);

    private const string ListSql = $"""
        SELECT {Columns} FROM promotion_requests
        WHERE (@model IS NULL OR model_name = @model) AND (@state IS NULL OR state = @state)
        ORDER BY requested_at DESC, id
        LIMIT @limit
        """;

    /// <summary>Requests, newest first, optionally of one model and/or in one state.</summary>
    public async Task<IReadOnlyList<PromotionRow>> ListAsync(DbConnection connection, string? model, string? state, int limit = 200, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<PromotionRow>(ListSql, new { model, state, limit }, transaction)];

    private const string TransitionSql = """
        UPDATE promotion_requests
        SET state = @state, decided_by = @decidedBy, decided_at = @decidedAt, decision_comment = @comment, row_version = row_version + 1
        WHERE id = @id AND row_version = @expectedRowVersion AND state = 'pending'
        """;

    /// <summary>
    /// Moves a pending request to <paramref name="state"/> if nobody changed it since it was read at
    /// <paramref name="expectedRowVersion"/>; false when someone did (the loser of a race gets 409).
    /// </summary>
    public async Task<bool> TransitionAsync(DbConnection connection, string id, int expectedRowVersion, string state, string? decidedBy, long decidedAt, string? comment, DbTransaction transaction) =>
        await connection.ExecuteAsync(TransitionSql, new { id, expectedRowVersion, state, decidedBy, decidedAt, comment }, transaction) == 1;

    private const string TouchSql = "UPDATE promotion_requests SET row_version = row_version + 1 WHERE id = @id AND row_version = @expectedRowVersion AND state = 'pending'";

    /// <summary>Bumps the row version of a pending request (an approval that does not decide it yet); false on a race.</summary>
    public async Task<bool> TouchAsync(DbConnection connection, string id, int expectedRowVersion, DbTransaction transaction) =>
        await connection.ExecuteAsync(TouchSql, new { id, expectedRowVersion }, transaction) == 1;

    private const string ExpireSql = """
        UPDATE promotion_requests SET state = 'expired', decided_at = @now, row_version = row_version + 1
        WHERE state = 'pending' AND expires_at <= @now
        RETURNING id
        """;

    /// <summary>Marks every pending request past its expiry as expired; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> ExpireAsync(DbConnection connection, long now, DbTransaction transaction) =>
        [.. await connection.QueryAsync<string>(ExpireSql, new { now }, transaction)];

    private const string InsertApprovalSql = """
        INSERT INTO promotion_approvals (request_id, approver, comment, approved_at)
        VALUES (@RequestId, @Approver, @Comment, @ApprovedAt)
        ON CONFLICT (request_id, approver) DO NOTHING
        """;

    /// <summary>Records an approval; false when this approver already approved.</summary>
    public async Task<bool> AddApprovalAsync(DbConnection connection, ApprovalRow row, DbTransaction transaction) =>
        await connection.ExecuteAsync(InsertApprovalSql, row, transaction) == 1;

    private const string ApprovalsSql = "SELECT request_id, approver, comment, approved_at FROM promotion_approvals WHERE request_id = @id ORDER BY approved_at, approver";

    /// <summary>A request's approvals, oldest first.</summary>
    public async Task<IReadOnlyList<ApprovalRow>> ApprovalsAsync(DbConnection connection, string id, DbTransaction? transaction = null) =>
        [.. await connection.QueryAsync<ApprovalRow>(ApprovalsSql, new { id }, transaction)];
}
