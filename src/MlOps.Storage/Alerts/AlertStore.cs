using System.Data.Common;
using Dapper;

namespace MlOps.Storage.Alerts;

/// <summary>A row of <c>alerts</c>. Times are Unix milliseconds.</summary>
public sealed class AlertRow
{
    public string Id { get; init; } = "";

    public string MessageId { get; init; } = "";

    public string Kind { get; init; } = "";

    public string Model { get; init; } = "";

    public string Feature { get; init; } = "";

    public string EventType { get; init; } = "";

    public string Source { get; init; } = "";

    public string Summary { get; init; } = "";

    public string Body { get; init; } = "";

    /// <summary>1 when the alert fell inside its cool-down (no deliveries).</summary>
    public long Suppressed { get; init; }

    public long CreatedAt { get; init; }
}

/// <summary>A row of <c>alert_deliveries</c>: one alert to one receiver.</summary>
public sealed class DeliveryRow
{
    public string AlertId { get; init; } = "";

    public string Receiver { get; init; } = "";

    public string DeliveryId { get; init; } = "";

    public string State { get; init; } = "";

    public int Attempts { get; init; }

    public long? NextAttemptAt { get; init; }

    public long? DeliveredAt { get; init; }

    public string? LastError { get; init; }
}

/// <summary>A row of <c>alert_attempts</c>.</summary>
public sealed class AttemptRow
{
    public string DeliveryId { get; init; } = "";

    public int Attempt { get; init; }

    public long At { get; init; }

    public int? StatusCode { get; init; }

    public string? Error { get; init; }

    public long DurationMs { get; init; }
}

/// <summary>The notification service's tables: alerts, their deliveries and attempts. Same SQL on SQLite and PostgreSQL.</summary>
public sealed class AlertStore
{
    private const string AlertColumns = "id, message_id, kind, model, feature, event_type, source, summary, body, suppressed, created_at";
    private const string DeliveryColumns = "alert_id, receiver, delivery_id, state, attempts, next_attempt_at, delivered_at, last_error";

    /// <summary>Inserts an alert; false when one with the same (message id, feature) exists (a redelivered message).</summary>
    public async Task<bool> InsertAsync(DbConnection c, AlertRow row, DbTransaction tx) =>
        await c.ExecuteAsync($"""
            INSERT INTO alerts ({AlertColumns})
            VALUES (@Id, @MessageId, @Kind, @Model, @Feature, @EventType, @Source, @Summary, @Body, @Suppressed, @CreatedAt)
            ON CONFLICT (message_id, feature) DO NOTHING
            """, new { row.Id, row.MessageId, row.Kind, row.Model, row.Feature, row.EventType, row.Source, row.Summary, row.Body, row.Suppressed, row.CreatedAt }, tx) == 1;

    /// <summary>Whether a delivered-or-pending (not suppressed) alert with this key was created since <paramref name="since"/>.</summary>
    public async Task<bool> InCooldownAsync(DbConnection c, string model, string feature, string kind, long since, DbTransaction tx) =>
        await c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM alerts WHERE model = @model AND feature = @feature AND kind = @kind AND suppressed = 0 AND created_at >= @since",
            new { model, feature, kind, since }, tx) > 0;

    /// <summary>Adds a pending delivery.</summary>
    public Task AddDeliveryAsync(DbConnection c, DeliveryRow row, DbTransaction tx) =>
        c.ExecuteAsync($"""
            INSERT INTO alert_deliveries ({DeliveryColumns})
            VALUES (@AlertId, @Receiver, @DeliveryId, @State, @Attempts, @NextAttemptAt, @DeliveredAt, @LastError)
            """, row, tx);

    /// <summary>Deliveries due now (pending, next attempt passed), oldest first.</summary>
    public async Task<IReadOnlyList<(DeliveryRow Delivery, string Body, string EventType)>> DueAsync(DbConnection c, long now, int limit) =>
        [.. (await c.QueryAsync<DeliveryRow, string, string, (DeliveryRow, string, string)>($"""
            SELECT d.alert_id, d.receiver, d.delivery_id, d.state, d.attempts, d.next_attempt_at, d.delivered_at, d.last_error, a.body, a.event_type
            FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
            WHERE d.state = 'pending' AND d.next_attempt_at <= @now
            ORDER BY d.next_attempt_at LIMIT @limit
            """, (d, body, type) => (d, body, type), new { now, limit }, splitOn: "body,event_type"))];

    /// <summary>
    /// Claims a due delivery for one attempt by moving its next attempt to <paramref name="leaseUntil"/>, provided it
    /// is still as <paramref name="due"/> read it; false when another dispatcher (another instance on this store)
    /// claimed it first. A dispatcher that dies after claiming leaves the delivery to be retried when the lease ends.
    /// </summary>
    public async Task<bool> ClaimAsync(DbConnection c, DeliveryRow due, long leaseUntil) =>
        await c.ExecuteAsync("""
            UPDATE alert_deliveries SET next_attempt_at = @leaseUntil
            WHERE alert_id = @AlertId AND receiver = @Receiver AND state = 'pending' AND attempts = @Attempts AND next_attempt_at = @NextAttemptAt
            """, new { leaseUntil, due.AlertId, due.Receiver, due.Attempts, due.NextAttemptAt }) == 1;

    /// <summary>Records an attempt and the delivery's new state.</summary>
    public Task RecordAttemptAsync(DbConnection c, DeliveryRow updated, AttemptRow attempt, DbTransaction tx) =>
        c.ExecuteAsync("""
            UPDATE alert_deliveries SET state = @State, attempts = @Attempts, next_attempt_at = @NextAttemptAt,
                delivered_at = @DeliveredAt, last_error = @LastError
            WHERE alert_id = @AlertId AND receiver = @Receiver;
            INSERT INTO alert_attempts (delivery_id, attempt, at, status_code, error, duration_ms)
            VALUES (@DeliveryId, @Attempt, @At, @StatusCode, @Error, @DurationMs);
            """, new
            {
                updated.State, updated.Attempts, updated.NextAttemptAt, updated.DeliveredAt, updated.LastError, updated.AlertId, updated.Receiver,
                attempt.DeliveryId, attempt.Attempt, attempt.At, attempt.StatusCode, attempt.Error, attempt.DurationMs,
            }, tx);

    /// <summary>Alerts newest first, optionally of one model and/or kind.</summary>
    public async Task<IReadOnlyList<AlertRow>> ListAsync(DbConnection c, string? model, string? kind, int limit)
    {
        // Built from fixed fragments: PostgreSQL cannot type "@x IS NULL" for a null parameter.
        var where = new List<string>();
        if (model is not null)
            where.Add("model = @model");
        if (kind is not null)
            where.Add("kind = @kind");
        string filter = where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where);
        return [.. await c.QueryAsync<AlertRow>($"SELECT {AlertColumns} FROM alerts {filter} ORDER BY created_at DESC, id DESC LIMIT @limit", new { model, kind, limit })];
    }

    /// <summary>The deliveries of these alerts.</summary>
    public async Task<IReadOnlyList<DeliveryRow>> DeliveriesAsync(DbConnection c, IReadOnlyList<string> alertIds) =>
        alertIds.Count == 0 ? [] : [.. await c.QueryAsync<DeliveryRow>($"SELECT {DeliveryColumns} FROM alert_deliveries WHERE alert_id IN ({Params(alertIds.Count)})", Args(alertIds))];

    /// <summary>The attempts of these deliveries, in order.</summary>
    public async Task<IReadOnlyList<AttemptRow>> AttemptsAsync(DbConnection c, IReadOnlyList<string> deliveryIds) =>
        deliveryIds.Count == 0 ? [] : [.. await c.QueryAsync<AttemptRow>($"SELECT delivery_id, attempt, at, status_code, error, duration_ms FROM alert_attempts WHERE delivery_id IN ({Params(deliveryIds.Count)}) ORDER BY delivery_id, attempt", Args(deliveryIds))];

    private static string Params(int n) => string.Join(", ", Enumerable.Range(0, n).Select(i => $"@p{i}"));

    private static DynamicParameters Args(IReadOnlyList<string> values)
    {
        var p = new DynamicParameters();
        for (int i = 0; i < values.Count; i++)
            p.Add($"p{i}", values[i]);
        return p;
    }
}
