using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Monitoring;

/// <summary>
/// The <c>monitor_outbox</c> table: bus events written in the transaction that stores their window, published later
/// by a relay and marked. Ids are stable, so a consumer can drop the repeat that an at-least-once relay may send.
/// </summary>
public sealed class OutboxStore
{
    private const string InsertSql = """
        INSERT INTO monitor_outbox (message_id, consumer_group, message_type, payload, created_at, published_at, attempts, last_error)
        VALUES (@MessageId, @ConsumerGroup, @MessageType, @Payload, @CreatedAt, NULL, 0, NULL)
        ON CONFLICT (message_id) DO NOTHING
        """;

    /// <summary>Adds events in the caller's transaction (an id already there is left as it is).</summary>
    public async Task AddAsync(DbConnection c, DbTransaction tx, IEnumerable<OutboxRow> rows)
    {
        foreach (var row in rows)
            await c.ExecuteAsync(InsertSql, row, tx);
    }

    private const string PendingSql = """
        SELECT message_id, consumer_group, message_type, payload, created_at, published_at, attempts, last_error
        FROM monitor_outbox WHERE published_at IS NULL
        ORDER BY created_at, message_id
        LIMIT @limit
        """;

    /// <summary>The oldest events not published yet.</summary>
    public async Task<IReadOnlyList<OutboxRow>> LoadPendingAsync(DbConnection c, int limit) =>
        [.. await c.QueryAsync<OutboxRow>(PendingSql, new { limit })];

    private const string MarkPublishedSql = "UPDATE monitor_outbox SET published_at = @at, attempts = attempts + 1, last_error = NULL WHERE message_id = @id";

    public Task MarkPublishedAsync(DbConnection c, string id, long at) => c.ExecuteAsync(MarkPublishedSql, new { id, at });

    private const string MarkFailedSql = "UPDATE monitor_outbox SET attempts = attempts + 1, last_error = @error WHERE message_id = @id";

    public Task MarkFailedAsync(DbConnection c, string id, string error) => c.ExecuteAsync(MarkFailedSql, new { id, error });

    private const string GetSql = """
        SELECT message_id, consumer_group, message_type, payload, created_at, published_at, attempts, last_error
        FROM monitor_outbox WHERE message_id = @id
        """;

    /// <summary>One event, or null.</summary>
    public Task<OutboxRow?> GetAsync(DbConnection c, string id) => c.QuerySingleOrDefaultAsync<OutboxRow>(GetSql, new { id });

    private const string PruneSql = "DELETE FROM monitor_outbox WHERE published_at IS NOT NULL AND published_at < @before";

    /// <summary>Deletes events published before <paramref name="before"/> (Unix ms); returns how many.</summary>
    public Task<int> PruneAsync(DbConnection c, long before) => c.ExecuteAsync(PruneSql, new { before });
}
