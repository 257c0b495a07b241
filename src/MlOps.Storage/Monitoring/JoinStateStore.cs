using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MlOps.Storage.Monitoring;

/// <summary>
/// The join state on disk (<c>pending_predictions</c>, <c>waiting_outcomes</c>): written in the checkpoint
/// transaction (<see cref="ApplyAsync"/>), looked up by prediction id in batches, expired by event time in bounded
/// batches. The monitor keeps only a bounded cache of it in memory.
/// </summary>
public sealed class JoinStateStore
{
    /// <summary>Rows one expiry statement deletes at most (the rest go at the next checkpoint).</summary>
    public const int ExpiryBatch = 20_000;

    // A lookup leaves out the features: the monitor keeps a found prediction for joins and dedupe, and a labelled
    // example reads them from the row when its checkpoint is written (LabelledExampleBlocks).
    private const string FoundPendingColumns = "consumer_group, partition, prediction_id, model, version, window_start, window_end, prediction, prediction_number, score, event_time, joined";

    private const string PendingColumns = $"{FoundPendingColumns}, features";

    // Expiry deletes a bounded batch: at most @limit rows past the horizon, found through the time index. On
    // PostgreSQL by their row addresses, computed once (a TID scan): as "prediction_id IN (subquery)" its planner,
    // with statistics of a table that grows fast, walked every row of the partition per checkpoint (seconds each at
    // 100 000 rows, growing with the TTL). Only the partition's owner writes its rows, so the addresses hold. SQLite
    // materialises the subquery and deletes by primary key.
    private static string ExpireSql(DbConnection c, string table, string condition)
    {
        string where = $"consumer_group = @group AND partition = @partition AND {condition} AND event_time < @before";
        return c is Npgsql.NpgsqlConnection
            ? $"DELETE FROM {table} WHERE ctid = ANY(ARRAY(SELECT ctid FROM {table} WHERE {where} LIMIT @limit))"
            : $"DELETE FROM {table} WHERE consumer_group = @group AND partition = @partition AND prediction_id IN (SELECT prediction_id FROM {table} WHERE {where} LIMIT @limit)";
    }

    // A list parameter: Dapper expands "IN @list" for SQLite; Npgsql takes the array itself ("= ANY(@list)").
    private static string In(DbConnection c, string column, string parameter) =>
        c is Npgsql.NpgsqlConnection ? $"{column} = ANY(@{parameter})" : $"{column} IN @{parameter}";

    /// <summary>Writes one partition's join-state changes and expiry in the caller's transaction; returns how many rows expired.</summary>
    public async Task<int> ApplyAsync(DbConnection c, DbTransaction tx, string group, int partition, JoinStateChanges changes)
    {
        // Examples first: one copied from its pending row needs the features that row loses once it is joined.
        await LabelledExampleBlocks.WriteAsync(c, tx, group, partition, changes.Sequence, changes.Examples);
        if (c is SqliteConnection sqlite)
        {
            WriteRows(sqlite, group, partition, changes);
        }
        else
        {
            await WriteRowsAsync(c, tx, group, partition, changes);
        }

        int expired = 0;
        foreach (var (model, before) in changes.ExpireBefore)
        {
            expired += await c.ExecuteAsync(ExpireSql(c, "pending_predictions", "model = @model"), new { group, partition, model, before, limit = ExpiryBatch }, tx);
            expired += await c.ExecuteAsync(ExpireSql(c, "waiting_outcomes", "model = @model"), new { group, partition, model, before, limit = ExpiryBatch }, tx);
        }

        if (changes.ExpireOtherWaitingBefore is { } other)
        {
            string[] models = changes.ExpireBefore.Count == 0 ? [""] : [.. changes.ExpireBefore.Select(e => e.Model)];
            expired += await c.ExecuteAsync(ExpireSql(c, "waiting_outcomes", $"NOT ({In(c, "model", "models")})"), new { group, partition, models, before = other, limit = ExpiryBatch }, tx);
        }

        return expired;
    }

    // The same statements for SQLite's prepared fast path (parameters by position; see SqliteStatement).
    private const string SqliteUpsertPendingSql = $"""
        INSERT INTO pending_predictions ({PendingColumns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
        ON CONFLICT (consumer_group, partition, prediction_id) DO UPDATE SET joined = excluded.joined, features = CASE WHEN excluded.joined = 1 THEN NULL ELSE COALESCE(excluded.features, pending_predictions.features) END
        """;

    private const string SqliteDeleteWaitingSql = "DELETE FROM waiting_outcomes WHERE consumer_group = ?1 AND partition = ?2 AND prediction_id = ?3";

    private const string SqliteUpsertWaitingSql = """
        INSERT INTO waiting_outcomes (consumer_group, partition, prediction_id, model, actual, actual_number, event_time) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
        ON CONFLICT (consumer_group, partition, prediction_id) DO NOTHING
        """;

    // Each statement prepared once per checkpoint and run for every row: a checkpoint writes tens of thousands.
    private static void WriteRows(SqliteConnection c, string group, int partition, JoinStateChanges changes)
    {
        ForEachRow(c, SqliteUpsertPendingSql, changes.PendingUpserts, (s, p) => s
            .Bind(1, p.ConsumerGroup).Bind(2, p.Partition).Bind(3, p.PredictionId).Bind(4, p.Model).Bind(5, p.Version)
            .Bind(6, p.WindowStart).Bind(7, p.WindowEnd).Bind(8, p.Prediction).Bind(9, p.PredictionNumber).Bind(10, p.Score)
            .Bind(11, p.EventTime).Bind(12, p.Joined).BindText(13, p.FeaturesUtf8, p.Features));
        ForEachRow(c, SqliteDeleteWaitingSql, changes.WaitingDeletes, (s, id) => s.Bind(1, group).Bind(2, partition).Bind(3, id));
        ForEachRow(c, SqliteUpsertWaitingSql, changes.WaitingUpserts, (s, o) => s
            .Bind(1, o.ConsumerGroup).Bind(2, o.Partition).Bind(3, o.PredictionId).Bind(4, o.Model).Bind(5, o.Actual)
            .Bind(6, o.ActualNumber).Bind(7, o.EventTime));
    }

    // PostgreSQL: one statement per table and checkpoint, its rows passed as arrays (unnest). A statement per row
    // cost a round trip each: tens of thousands per checkpoint, the monitor's bound in distributed mode. The rows of
    // one statement have distinct ids (the checkpoint's changes are keyed by id), as ON CONFLICT DO UPDATE requires.
    private static async Task WriteRowsAsync(DbConnection c, DbTransaction tx, string group, int partition, JoinStateChanges changes)
    {
        var pending = changes.PendingUpserts;
        if (pending.Count > 0)
        {
            await c.ExecuteAsync(PostgresUpsertPendingSql, new
            {
                group,
                partition,
                ids = pending.Select(p => p.PredictionId).ToArray(),
                models = pending.Select(p => p.Model).ToArray(),
                versions = pending.Select(p => p.Version).ToArray(),
                starts = pending.Select(p => p.WindowStart).ToArray(),
                ends = pending.Select(p => p.WindowEnd).ToArray(),
                predictions = pending.Select(p => p.Prediction).ToArray(),
                numbers = pending.Select(p => p.PredictionNumber).ToArray(),
                scores = pending.Select(p => p.Score).ToArray(),
                times = pending.Select(p => p.EventTime).ToArray(),
                joined = pending.Select(p => (int)p.Joined).ToArray(),
                features = pending.Select(p => p.Features).ToArray(),
            }, tx);
        }

        if (changes.WaitingDeletes.Count > 0)
            await c.ExecuteAsync(PostgresDeleteWaitingSql, new { group, partition, ids = changes.WaitingDeletes.ToArray() }, tx);
        var waiting = changes.WaitingUpserts;
        if (waiting.Count > 0)
        {
            await c.ExecuteAsync(PostgresUpsertWaitingSql, new
            {
                group,
                partition,
                ids = waiting.Select(o => o.PredictionId).ToArray(),
                models = waiting.Select(o => o.Model).ToArray(),
                actuals = waiting.Select(o => o.Actual).ToArray(),
                numbers = waiting.Select(o => o.ActualNumber).ToArray(),
                times = waiting.Select(o => o.EventTime).ToArray(),
            }, tx);
        }
    }

    private const string PostgresUpsertPendingSql = $"""
        INSERT INTO pending_predictions ({PendingColumns})
        SELECT @group, @partition, u.* FROM unnest(@ids::text[], @models::text[], @versions::text[], @starts::bigint[], @ends::bigint[], @predictions::text[], @numbers::float8[], @scores::float8[], @times::bigint[], @joined::integer[], @features::text[]) AS u
        ON CONFLICT (consumer_group, partition, prediction_id) DO UPDATE SET joined = excluded.joined, features = CASE WHEN excluded.joined = 1 THEN NULL ELSE COALESCE(excluded.features, pending_predictions.features) END
        """;

    private const string PostgresDeleteWaitingSql = "DELETE FROM waiting_outcomes WHERE consumer_group = @group AND partition = @partition AND prediction_id = ANY(@ids)";

    private const string PostgresUpsertWaitingSql = """
        INSERT INTO waiting_outcomes (consumer_group, partition, prediction_id, model, actual, actual_number, event_time)
        SELECT @group, @partition, u.* FROM unnest(@ids::text[], @models::text[], @actuals::text[], @numbers::float8[], @times::bigint[]) AS u
        ON CONFLICT (consumer_group, partition, prediction_id) DO NOTHING
        """;

    // Prepares `sql` once (when there are rows) and runs it for each row with the values `bind` sets.
    private static void ForEachRow<T>(SqliteConnection c, string sql, IReadOnlyList<T> rows, Action<SqliteStatement, T> bind)
    {
        if (rows.Count == 0)
            return;
        using var statement = new SqliteStatement(c, sql);
        foreach (var row in rows)
        {
            bind(statement, row);
            statement.Execute();
        }
    }

    /// <summary>A model's labelled examples with event times in [from, to), ordered by event time and prediction id, read as they are enumerated.</summary>
    public IAsyncEnumerable<LabelledExampleLine> StreamExamplesAsync(DbConnection c, string model, long from, long to) =>
        LabelledExampleBlocks.StreamAsync(c, model, from, to);

    /// <summary>How many labelled examples of a model have event times in [from, to).</summary>
    public Task<long> CountExamplesAsync(DbConnection c, string model, long from, long to) =>
        LabelledExampleBlocks.CountAsync(c, model, from, to);

    /// <summary>Keeps, per model, the newest <paramref name="keep"/> examples (and any as old as the last of them) and none older than <paramref name="before"/>; returns how many went.</summary>
    public Task<int> PruneExamplesAsync(DbConnection c, string group, int keep, long before) =>
        LabelledExampleBlocks.PruneAsync(c, group, keep, before);

    private static string FindPendingSql(DbConnection c) => $"SELECT {FoundPendingColumns} FROM pending_predictions WHERE consumer_group = @group AND partition = @partition AND {In(c, "prediction_id", "ids")}";

    // The ids as one JSON array parameter: one statement text whatever their number, so SQLite prepares it once.
    private const string SqliteFindPendingSql = $"SELECT {FoundPendingColumns} FROM pending_predictions WHERE consumer_group = ?1 AND partition = ?2 AND prediction_id IN (SELECT value FROM json_each(?3))";

    private const string SqliteFindWaitingSql = """
        SELECT consumer_group, partition, prediction_id, model, actual, actual_number, event_time
        FROM waiting_outcomes WHERE consumer_group = ?1 AND partition = ?2 AND prediction_id IN (SELECT value FROM json_each(?3))
        """;

    private static List<PendingPredictionRow> FindPending(SqliteConnection c, string group, int partition, IReadOnlyCollection<string> ids)
    {
        var rows = new List<PendingPredictionRow>();
        using var find = new SqliteStatement(c, SqliteFindPendingSql);
        find.Bind(1, group).Bind(2, partition).Bind(3, JsonArray(ids)).Query(r => rows.Add(new PendingPredictionRow
        {
            ConsumerGroup = r.Text(0),
            Partition = (int)r.Int64(1),
            PredictionId = r.Text(2),
            Model = r.Text(3),
            Version = r.Text(4),
            WindowStart = r.Int64(5),
            WindowEnd = r.Int64(6),
            Prediction = r.Text(7),
            PredictionNumber = r.DoubleOrNull(8),
            Score = r.DoubleOrNull(9),
            EventTime = r.Int64(10),
            Joined = r.Int64(11),
        }));
        return rows;
    }

    private static List<WaitingOutcomeRow> FindWaiting(SqliteConnection c, string group, int partition, IReadOnlyCollection<string> ids)
    {
        var rows = new List<WaitingOutcomeRow>();
        using var find = new SqliteStatement(c, SqliteFindWaitingSql);
        find.Bind(1, group).Bind(2, partition).Bind(3, JsonArray(ids)).Query(r => rows.Add(new WaitingOutcomeRow
        {
            ConsumerGroup = r.Text(0),
            Partition = (int)r.Int64(1),
            PredictionId = r.Text(2),
            Model = r.Text(3),
            Actual = r.Text(4),
            ActualNumber = r.DoubleOrNull(5),
            EventTime = r.Int64(6),
        }));
        return rows;
    }

    private static string JsonArray(IReadOnlyCollection<string> ids) => System.Text.Json.JsonSerializer.Serialize(ids, StorageJsonContext.Default.IReadOnlyCollectionString);

    private static string FindWaitingSql(DbConnection c) => $"""
        SELECT consumer_group, partition, prediction_id, model, actual, actual_number, event_time
        FROM waiting_outcomes WHERE consumer_group = @group AND partition = @partition AND {In(c, "prediction_id", "ids")}
        """;

    /// <summary>
    /// The stored pending predictions (without their features) and waiting outcomes among <paramref name="ids"/>,
    /// synchronously and in one round trip: for a thread that waits for the answer (a processing thread's lookups
    /// of a poll batch). Blocking on the async calls there took a thread-pool thread for each lookup, which the
    /// checkpoint writes kept busy.
    /// </summary>
    public (IReadOnlyList<PendingPredictionRow> Pending, IReadOnlyList<WaitingOutcomeRow> Waiting) Find(DbConnection c, string group, int partition, IReadOnlyCollection<string> ids)
    {
        if (ids.Count == 0)
            return ([], []);
        if (c is SqliteConnection sqlite)
            return (FindPending(sqlite, group, partition, ids), FindWaiting(sqlite, group, partition, ids));
        using var results = c.QueryMultiple($"{FindPendingSql(c)};\n{FindWaitingSql(c)}", new { group, partition, ids = ids.ToArray() });
        return ([.. results.Read<PendingPredictionRow>()], [.. results.Read<WaitingOutcomeRow>()]);
    }

    private const string StatsSql = """
        SELECT model AS Model, COUNT(*) AS Rows,
               SUM(LENGTH(prediction_id) + LENGTH(model) + LENGTH(version) + LENGTH(prediction) + COALESCE(LENGTH(features), 0) + 64) AS Bytes
        FROM pending_predictions WHERE consumer_group = @group GROUP BY model
        """;

    /// <summary>Rows of pending predictions per model and their approximate payload size in bytes.</summary>
    public async Task<IReadOnlyList<(string Model, long Rows, long Bytes)>> StatsAsync(DbConnection c, string group) =>
        [.. (await c.QueryAsync<(string Model, long Rows, long Bytes)>(StatsSql, new { group }))];
}

/// <summary>What one checkpoint changes in a partition's join state.</summary>
public sealed record JoinStateChanges
{
    /// <summary>
    /// New and joined predictions. None is deleted but by expiry (<see cref="ExpireBefore"/>): a joined one stays as the
    /// tombstone that keeps a retried duplicate from being counted again.
    /// </summary>
    public IReadOnlyList<PendingPredictionRow> PendingUpserts { get; init; } = [];

    public IReadOnlyList<WaitingOutcomeRow> WaitingUpserts { get; init; } = [];

    public IReadOnlyList<string> WaitingDeletes { get; init; } = [];

    /// <summary>Per model: rows with an event time before this (Unix ms) expire.</summary>
    public IReadOnlyList<(string Model, long Before)> ExpireBefore { get; init; } = [];

    /// <summary>The checkpoint's sequence number: its labelled examples are stored under it, once.</summary>
    public long Sequence { get; init; }

    /// <summary>Outcomes that joined their prediction: each becomes a labelled example (copied from the pending row).</summary>
    public IReadOnlyList<JoinedExample> Examples { get; init; } = [];

    /// <summary>Waiting outcomes of models not in <see cref="ExpireBefore"/> expire before this.</summary>
    public long? ExpireOtherWaitingBefore { get; init; }
}

/// <summary>A row of <c>pending_predictions</c>.</summary>
public sealed class PendingPredictionRow
{
    public string ConsumerGroup { get; init; } = "";

    public int Partition { get; init; }

    public string PredictionId { get; init; } = "";

    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public long WindowStart { get; init; }

    public long WindowEnd { get; init; }

    public string Prediction { get; init; } = "";

    public double? PredictionNumber { get; init; }

    public double? Score { get; init; }

    public long EventTime { get; init; }

    /// <summary>1 once its outcome joined (kept as a tombstone against retried duplicates).</summary>
    public long Joined { get; init; }

    /// <summary>The prediction's features as JSON (null when only the joined flag changed, and as read by <see cref="JoinStateStore.Find"/>).</summary>
    public string? Features
    {
        get => _features ??= FeaturesUtf8 is { } utf8 ? System.Text.Encoding.UTF8.GetString(utf8.Span) : null;
        init => _features = value;
    }

    /// <summary>
    /// The features as the record carried them (UTF-8 JSON), when the monitor writes the row: SQLite binds them as
    /// they are; <see cref="Features"/> decodes them only when asked (PostgreSQL's parameters are strings).
    /// </summary>
    public ReadOnlyMemory<byte>? FeaturesUtf8 { get; init; }

    /// <summary>Whether the row carries its features (in either form).</summary>
    public bool HasFeatures => FeaturesUtf8 is not null || _features is not null;

    private string? _features;
}

/// <summary>A row of <c>waiting_outcomes</c>: an outcome that arrived before its prediction.</summary>
public sealed class WaitingOutcomeRow
{
    public string ConsumerGroup { get; init; } = "";

    public int Partition { get; init; }

    public string PredictionId { get; init; } = "";

    public string Model { get; init; } = "";

    public string Actual { get; init; } = "";

    public double? ActualNumber { get; init; }

    public long EventTime { get; init; }
}

/// <summary>
/// An outcome joined to its prediction. The rest of the example comes from <see cref="Prediction"/> when the
/// prediction's row is written by the same checkpoint, else from its pending row in the store (written earlier).
/// A joined pending row keeps no features: they are in the example.
/// </summary>
public sealed record JoinedExample(string PredictionId, string Actual, double? ActualNumber)
{
    /// <summary>The prediction's row with its features, when the same checkpoint writes it; null: copy from the store.</summary>
    public PendingPredictionRow? Prediction { get; init; }
}
