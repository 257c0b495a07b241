using System.Buffers;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MlOps.Storage.Monitoring;

/// <summary>
/// Labelled examples in blocks (<c>labelled_example_blocks</c>): a checkpoint writes one row per model with all the
/// examples it joined, as the NDJSON lines <c>GET /api/monitoring/{model}/examples</c> serves, ordered by event time
/// and prediction id, and the JSON array of their event times. Written one row per example (with a primary key and a
/// time index), the examples cost about a third of the monitor's CPU time per record; a block costs one insert per
/// checkpoint. Reading merges the blocks of a range by event time; pruning drops whole blocks and cuts the old lines
/// off a block that straddles the horizon, so what is kept is exactly what a row per example kept.
/// </summary>
internal static class LabelledExampleBlocks
{
    private const string InsertSql = """
        INSERT INTO labelled_example_blocks (consumer_group, model, partition, sequence, first_time, last_time, examples, times, body)
        VALUES (@group, @model, @partition, @sequence, @first, @last, @rows, @times, @body)
        ON CONFLICT (consumer_group, model, partition, sequence) DO NOTHING
        """;

    private const string SqliteInsertSql = """
        INSERT INTO labelled_example_blocks (consumer_group, model, partition, sequence, first_time, last_time, examples, times, body)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
        ON CONFLICT (consumer_group, model, partition, sequence) DO NOTHING
        """;

    // The stored predictions an example copies (their features go once the row is joined: a joined one is not copied twice).
    private const string SqliteCopiedSql = """
        SELECT prediction_id, model, version, event_time, features, prediction, score FROM pending_predictions
        WHERE consumer_group = ?1 AND partition = ?2 AND prediction_id IN (SELECT value FROM json_each(?3)) AND features IS NOT NULL
        """;

    private const string PostgresCopiedSql = """
        SELECT prediction_id AS PredictionId, model AS Model, version AS Version, event_time AS EventTime, features AS Features, prediction AS Prediction, score AS Score
        FROM pending_predictions WHERE consumer_group = @group AND partition = @partition AND prediction_id = ANY(@ids) AND features IS NOT NULL
        """;

    /// <summary>Writes one checkpoint's examples of a partition, a block per model; a block already written under the checkpoint's sequence stays as it is.</summary>
    public static async Task WriteAsync(DbConnection c, DbTransaction tx, string group, int partition, long sequence, IReadOnlyList<JoinedExample> examples)
    {
        if (examples.Count == 0)
            return;
        var entries = new List<Entry>(examples.Count);
        List<JoinedExample>? copied = null;
        foreach (var e in examples)
        {
            if (e.Prediction is { HasFeatures: true } p)
                entries.Add(new Entry(p.Model, e.PredictionId, p.Version, p.EventTime, p.FeaturesUtf8 ?? Encoding.UTF8.GetBytes(p.Features!), e.Actual, e.ActualNumber, p.Prediction, p.Score));
            else
                (copied ??= []).Add(e);
        }

        if (copied is not null)
            entries.AddRange(c is SqliteConnection sqlite ? CopiedSqlite(sqlite, group, partition, copied) : await CopiedPostgresAsync(c, tx, group, partition, copied));
        foreach (var block in entries.GroupBy(e => e.Model, StringComparer.Ordinal))
            await InsertAsync(c, tx, group, partition, sequence, block.Key, block);
    }

    private static IEnumerable<Entry> CopiedSqlite(SqliteConnection c, string group, int partition, List<JoinedExample> examples)
    {
        var byId = ById(examples);
        var entries = new List<Entry>(examples.Count);
        using var find = new SqliteStatement(c, SqliteCopiedSql);
        find.Bind(1, group).Bind(2, partition).Bind(3, JsonSerializer.Serialize(byId.Keys, StorageJsonContext.Default.IReadOnlyCollectionString)).Query(r =>
        {
            var e = byId[r.Text(0)];
            entries.Add(new Entry(r.Text(1), e.PredictionId, r.Text(2), r.Int64(3), r.Bytes(4), e.Actual, e.ActualNumber, r.Text(5), r.DoubleOrNull(6)));
        });
        return entries;
    }

    private static async Task<IEnumerable<Entry>> CopiedPostgresAsync(DbConnection c, DbTransaction tx, string group, int partition, List<JoinedExample> examples)
    {
        var byId = ById(examples);
        var rows = await c.QueryAsync<CopiedRow>(PostgresCopiedSql, new { group, partition, ids = byId.Keys.ToArray() }, tx);
        return rows.Select(r => new Entry(r.Model, r.PredictionId, r.Version, r.EventTime, Encoding.UTF8.GetBytes(r.Features), byId[r.PredictionId].Actual, byId[r.PredictionId].ActualNumber, r.Prediction, r.Score));
    }

    private static Dictionary<string, JoinedExample> ById(List<JoinedExample> examples)
    {
        var byId = new Dictionary<string, JoinedExample>(examples.Count, StringComparer.Ordinal);
        foreach (var e in examples)
            byId.TryAdd(e.PredictionId, e);
        return byId;
    }

    private static async Task InsertAsync(DbConnection c, DbTransaction tx, string group, int partition, long sequence, string model, IEnumerable<Entry> block)
    {
        // One example per prediction id (the first), in the order the examples are served.
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = block.Where(e => seen.Add(e.PredictionId)).ToList();
        entries.Sort(static (a, b) => a.EventTime != b.EventTime ? a.EventTime.CompareTo(b.EventTime) : string.CompareOrdinal(a.PredictionId, b.PredictionId));
        var body = new ArrayBufferWriter<byte>(entries.Count * 512);
        var times = new StringBuilder(entries.Count * 14).Append('[');
        using (var writer = new Utf8JsonWriter(body))
        {
            for (int i = 0; i < entries.Count; i++)
            {
                if (i > 0)
                {
                    body.Write("\n"u8);
                    times.Append(',');
                }

                writer.Reset(body);
                entries[i].WriteTo(writer);
                writer.Flush();
                times.Append(entries[i].EventTime.ToString(CultureInfo.InvariantCulture));
            }
        }

        string timesJson = times.Append(']').ToString();
        long first = entries[0].EventTime, last = entries[^1].EventTime;
        if (c is SqliteConnection sqlite)
        {
            using var insert = new SqliteStatement(sqlite, SqliteInsertSql);
            insert.Bind(1, group).Bind(2, model).Bind(3, partition).Bind(4, sequence).Bind(5, first).Bind(6, last).Bind(7, entries.Count)
                .Bind(8, timesJson).BindText(9, body.WrittenMemory, null).Execute();
        }
        else
        {
            await c.ExecuteAsync(InsertSql, new { group, model, partition, sequence, first, last, rows = entries.Count, times = timesJson, body = Encoding.UTF8.GetString(body.WrittenSpan) }, tx);
        }
    }

    private const string BlocksSql = """
        SELECT first_time AS FirstTime, times AS Times, body AS Body FROM labelled_example_blocks
        WHERE model = @model AND first_time < @to AND last_time >= @from
        ORDER BY first_time
        """;

    /// <summary>
    /// A model's examples with event times in [from, to), ordered by event time and prediction id: a merge of the
    /// blocks of the range, each read when the merge reaches its first event time (memory holds the blocks that
    /// overlap the current time, not the range).
    /// </summary>
    public static async IAsyncEnumerable<LabelledExampleLine> StreamAsync(DbConnection c, string model, long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var merge = new PriorityQueue<Cursor, (long Time, string Id)>(KeyComparer.Instance);
        await using var blocks = c.QueryUnbufferedAsync<BlockRow>(BlocksSql, new { model, from, to }).GetAsyncEnumerator(cancellationToken);
        bool more = await blocks.MoveNextAsync();
        while (true)
        {
            // Every block that can hold a line at or before the merge's next one is open.
            while (more && (!merge.TryPeek(out _, out var next) || blocks.Current.FirstTime <= next.Time))
            {
                var cursor = new Cursor(blocks.Current, from, to);
                if (cursor.HasLine)
                    merge.Enqueue(cursor, cursor.Key);
                more = await blocks.MoveNextAsync();
            }

            if (!merge.TryDequeue(out var least, out _))
                yield break;
            yield return least.Line;
            if (least.MoveNext())
                merge.Enqueue(least, least.Key);
        }
    }

    private const string SqliteCountSql = """
        SELECT COUNT(*) FROM labelled_example_blocks b, json_each(b.times) t
        WHERE b.model = @model AND b.first_time < @to AND b.last_time >= @from AND t.value >= @from AND t.value < @to
        """;

    private const string PostgresCountSql = """
        SELECT COUNT(*) FROM labelled_example_blocks b CROSS JOIN LATERAL jsonb_array_elements_text(b.times::jsonb) AS t (v)
        WHERE b.model = @model AND b.first_time < @to AND b.last_time >= @from AND t.v::bigint >= @from AND t.v::bigint < @to
        """;

    /// <summary>How many examples of a model have event times in [from, to).</summary>
    public static Task<long> CountAsync(DbConnection c, string model, long from, long to) =>
        c.ExecuteScalarAsync<long>(c is SqliteConnection ? SqliteCountSql : PostgresCountSql, new { model, from, to });

    /// <summary>Keeps, per model, the newest <paramref name="keep"/> examples (and those as old as the last of them) and none older than <paramref name="before"/>; returns how many went.</summary>
    public static async Task<int> PruneAsync(DbConnection c, string group, int keep, long before)
    {
        int pruned = await PruneBeforeAsync(c, group, model: null, before);
        foreach (string model in (await c.QueryAsync<string>("SELECT DISTINCT model FROM labelled_example_blocks WHERE consumer_group = @group", new { group })).ToList())
        {
            long total = await c.ExecuteScalarAsync<long>("SELECT COALESCE(SUM(examples), 0) FROM labelled_example_blocks WHERE consumer_group = @group AND model = @model", new { group, model });
            if (total <= keep)
                continue;
            long cutoff = long.MaxValue;
            if (keep > 0)
            {
                // The keep-th newest event time: older examples go (as one row per example did, by event time).
                var times = (await c.QueryAsync<string>("SELECT times FROM labelled_example_blocks WHERE consumer_group = @group AND model = @model", new { group, model }))
                    .SelectMany(ParseTimes).ToArray();
                Array.Sort(times);
                cutoff = times[^keep];
            }

            pruned += await PruneBeforeAsync(c, group, model, cutoff);
        }

        return pruned;
    }

    // Drops the examples older than `before` (of one model, or of all): whole blocks, and the first lines of a block
    // that straddles it (rewritten only if no other pruner changed it meanwhile: several monitors share a group).
    private static async Task<int> PruneBeforeAsync(DbConnection c, string group, string? model, long before)
    {
        string scope = model is null ? "consumer_group = @group" : "consumer_group = @group AND model = @model";
        int pruned = (await c.QueryAsync<int>($"DELETE FROM labelled_example_blocks WHERE {scope} AND last_time < @before RETURNING examples", new { group, model, before })).Sum();
        var straddling = (await c.QueryAsync<StraddlingRow>(
            $"SELECT model AS Model, partition AS Partition, sequence AS Sequence, examples AS Rows, times AS Times, body AS Body FROM labelled_example_blocks WHERE {scope} AND first_time < @before AND last_time >= @before",
            new { group, model, before })).ToList();
        foreach (var block in straddling)
        {
            long[] times = ParseTimes(block.Times);
            int cut = 0;
            while (cut < times.Length && times[cut] < before)
                cut++;
            int start = 0;
            for (int line = 0; line < cut; line++)
                start = block.Body.IndexOf('\n', start) + 1;
            var kept = times[cut..];
            int changed = await c.ExecuteAsync(
                "UPDATE labelled_example_blocks SET first_time = @first, examples = @rows, times = @times, body = @body WHERE consumer_group = @group AND model = @model AND partition = @partition AND sequence = @sequence AND examples = @old",
                new { group, model = block.Model, partition = block.Partition, sequence = block.Sequence, first = kept[0], rows = kept.Length, times = $"[{string.Join(',', kept)}]", body = block.Body[start..], old = block.Rows });
            if (changed > 0)
                pruned += cut;
        }

        return pruned;
    }

    // "[1,2,3]" (SQLite, the monitor) or "[1, 2, 3]" (PostgreSQL's json_agg).
    private static long[] ParseTimes(string json)
    {
        var inner = json.AsSpan().Trim().Trim('[').Trim(']');
        if (inner.IsWhiteSpace())
            return [];
        var times = new long[inner.Count(',') + 1];
        int i = 0;
        foreach (var range in inner.Split(','))
            times[i++] = long.Parse(inner[range].Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        return times;
    }

    private sealed record Entry(string Model, string PredictionId, string Version, long EventTime, ReadOnlyMemory<byte> Features, string Actual, double? ActualNumber, string Prediction, double? Score)
    {
        // The line GET /api/monitoring/{model}/examples serves.
        public void WriteTo(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("predictionId", PredictionId);
            writer.WriteString("model", Model);
            writer.WriteString("version", Version);
            writer.WriteString("timestamp", DateTimeOffset.FromUnixTimeMilliseconds(EventTime));
            writer.WritePropertyName("features");
            writer.WriteRawValue(Features.Span, skipInputValidation: true);
            if (ActualNumber is { } number)
                writer.WriteNumber("actual", number);
            else
                writer.WriteString("actual", Actual);
            writer.WriteString("prediction", Prediction);
            if (Score is { } score)
                writer.WriteNumber("score", score);
            else
                writer.WriteNull("score");
            writer.WriteEndObject();
        }
    }

    // One block's lines from the first in [from, to) to the last.
    private sealed class Cursor
    {
        private readonly long[] _times;
        private readonly string _body;
        private readonly long _to;
        private int _index;
        private int _start;

        public Cursor(BlockRow block, long from, long to)
        {
            _times = ParseTimes(block.Times);
            _body = block.Body;
            _to = to;
            _index = -1;
            _start = 0;
            do
                Advance();
            while (HasLine && _times[_index] < from);
        }

        public bool HasLine => _index < _times.Length && _times[_index] < _to;

        public LabelledExampleLine Line { get; private set; }

        public (long Time, string Id) Key => (Line.EventTime, Line.PredictionId);

        public bool MoveNext()
        {
            Advance();
            return HasLine;
        }

        private void Advance()
        {
            if (_index >= 0)
                _start += Line.Json.Length + 1;
            _index++;
            if (_index >= _times.Length)
                return;
            int end = _body.IndexOf('\n', _start);
            var json = _body.AsMemory(_start, (end < 0 ? _body.Length : end) - _start);
            Line = new LabelledExampleLine(_times[_index], IdOf(json.Span), json);
        }
    }

    // The prediction id of a line: the first property as the monitor writes it, else (escapes, another writer's spacing) parsed.
    private static string IdOf(ReadOnlySpan<char> line)
    {
        const string prefix = "{\"predictionId\":\"";
        if (line.StartsWith(prefix, StringComparison.Ordinal))
        {
            var rest = line[prefix.Length..];
            int quote = rest.IndexOf('"');
            if (quote >= 0 && !rest[..quote].Contains('\\'))
                return rest[..quote].ToString();
        }

        using var document = JsonDocument.Parse(line.ToString());
        return document.RootElement.GetProperty("predictionId").GetString() ?? "";
    }

    private sealed class KeyComparer : IComparer<(long Time, string Id)>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare((long Time, string Id) x, (long Time, string Id) y) =>
            x.Time != y.Time ? x.Time.CompareTo(y.Time) : string.CompareOrdinal(x.Id, y.Id);
    }

    private sealed class BlockRow
    {
        public long FirstTime { get; init; }

        public string Times { get; init; } = "[]";

        public string Body { get; init; } = "";
    }

    private sealed class StraddlingRow
    {
        public string Model { get; init; } = "";

        public int Partition { get; init; }

        public long Sequence { get; init; }

        public int Rows { get; init; }

        public string Times { get; init; } = "[]";

        public string Body { get; init; } = "";
    }

    private sealed class CopiedRow
    {
        public string PredictionId { get; init; } = "";

        public string Model { get; init; } = "";

        public string Version { get; init; } = "";

        public long EventTime { get; init; }

        public string Features { get; init; } = "{}";

        public string Prediction { get; init; } = "";

        public double? Score { get; init; }
    }
}

/// <summary>One labelled example as <c>GET /api/monitoring/{model}/examples</c> serves it: a JSON object (one NDJSON line, without its newline).</summary>
public readonly record struct LabelledExampleLine(long EventTime, string PredictionId, ReadOnlyMemory<char> Json);
