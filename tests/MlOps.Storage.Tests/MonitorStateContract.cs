using System.Text.Json;
using Dapper;
using MlOps.Storage.Monitoring;

namespace MlOps.Storage.Tests;

/// <summary>The monitor state store's tests; run on SQLite and PostgreSQL.</summary>
public abstract class MonitorStateContract : IAsyncLifetime
{
    private StorageOptions _options = null!;
    private readonly MonitorStateStore _store = new();

    protected Database Db { get; private set; } = null!;

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    public async Task InitializeAsync()
    {
        _options = await CreateOptionsAsync();
        Db = new Database(_options);
        await Db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await TestDatabases.DropAsync(_options);
    }

    [Fact]
    public async Task A_checkpoint_stores_partials_join_state_watermarks_and_offsets_together()
    {
        await Save(Checkpoint(partition: 0, watermark: 100, offset: 42, payload: "a", sequence: 1));
        await Save(Checkpoint(partition: 0, watermark: 200, offset: 50, payload: "b", sequence: 2));
        await using var c = await Db.OpenAsync();
        var offsets = await _store.LoadOffsetsAsync(c, "g");
        Assert.Equal([("mlops.predictions", 0, 50L), ("mlops.outcomes", 0, 50L)], offsets.OrderByDescending(o => o.Topic).Select(o => (o.Topic, o.Partition, o.NextOffset)));
        var partial = Assert.Single(await _store.LoadPartialsAsync(c, "g", 0));
        Assert.Equal("b", partial.Payload);
        Assert.Equal(["a", "b"], _store.Join.Find(c, "g", 0, ["a", "b", "c"]).Pending.Select(r => r.PredictionId).Order());
        Assert.Equal((200L, 2L), await _store.LoadWatermarkAsync(c, "g", 0));
        Assert.Equal([(0, 200L)], (await _store.LoadPartitionWatermarksAsync(c, "g")).Select(w => (w.Partition, w.Watermark)));
        Assert.Equal([("m", 0, 150L)], (await _store.LoadModelWatermarksAsync(c, "g")).Select(w => (w.Model, w.Partition, w.Watermark)));
        Assert.Empty(await _store.LoadOffsetsAsync(c, "other-group"));
    }

    [Fact]
    public async Task A_failed_checkpoint_leaves_the_previous_one()
    {
        await Save(Checkpoint(partition: 0, watermark: 100, offset: 42, payload: "a", sequence: 1));
        // A join row that violates NOT NULL: the whole checkpoint must roll back.
        await Assert.ThrowsAnyAsync<Exception>(() => Save(Checkpoint(partition: 0, watermark: 300, offset: 99, payload: "z", sequence: 2, fail: true)));
        await using var c = await Db.OpenAsync();
        Assert.All(await _store.LoadOffsetsAsync(c, "g"), o => Assert.Equal(42, o.NextOffset));
        Assert.Equal("a", Assert.Single(await _store.LoadPartialsAsync(c, "g", 0)).Payload);
        Assert.Equal([(0, 100L)], (await _store.LoadPartitionWatermarksAsync(c, "g")).Select(w => (w.Partition, w.Watermark)));
        Assert.Equal([50L], (await _store.LoadModelWatermarksAsync(c, "g", 0)).Select(w => w.Watermark));
        Assert.Empty(_store.Join.Find(c, "g", 0, ["z"]).Pending);
    }

    [Fact]
    public async Task Windows_are_due_when_every_partition_sealed_them_and_close_once()
    {
        await Save(Checkpoint(partition: 0, watermark: 1_000, offset: 1, payload: "p0", sequence: 1));
        await Save(Checkpoint(partition: 1, watermark: 700, offset: 1, payload: "p1", sequence: 1));
        await using var c = await Db.OpenAsync();
        var partitions = await _store.LoadPartitionWatermarksAsync(c, "g");
        Assert.Equal([(0, 1_000L), (1, 700L)], partitions.OrderBy(p => p.Partition).Select(p => (p.Partition, p.Watermark)));
        var due = await _store.LoadClosablePartialsAsync(c, "g", partitions.Min(p => p.Watermark));
        Assert.Equal([0, 1], due.Select(d => d.Partition));

        var result = new WindowResultRow { ConsumerGroup = "g", Model = "m", Version = "1", WindowStart = 0, WindowEnd = 600, ClosedAt = 800, Predictions = 10, Labelled = 2, DriftedShare = 0.5, DatasetDrift = 1, ResultJson = "{}" };
        await using (var tx = await c.BeginTransactionAsync())
        {
            Assert.True(await _store.CloseWindowAsync(c, tx, result));
            await tx.CommitAsync();
        }

        await using (var tx = await c.BeginTransactionAsync())
        {
            Assert.False(await _store.CloseWindowAsync(c, tx, result));
            await tx.CommitAsync();
        }

        Assert.Empty(await _store.LoadClosablePartialsAsync(c, "g", 700));
        var stored = Assert.Single(await _store.ListResultsAsync(c, "m", 0, 1_000));
        Assert.Equal((10L, 2L, 0.5, 1), (stored.Predictions, stored.Labelled, stored.DriftedShare, stored.DatasetDrift));
        Assert.Empty(await _store.ListResultsAsync(c, "m", 1, 1_000));
    }

    [Fact]
    public async Task Join_state_expires_by_event_time_per_model_and_consumed_outcomes_are_deleted()
    {
        PendingPredictionRow Pending(string id, string model, long time) => new() { ConsumerGroup = "g", Partition = 1, PredictionId = id, Model = model, Version = "1", Prediction = "1", EventTime = time, Features = "{}" };
        WaitingOutcomeRow Waiting(string id, string model, long time) => new() { ConsumerGroup = "g", Partition = 1, PredictionId = id, Model = model, Actual = "0", EventTime = time };
        await Apply(new JoinStateChanges
        {
            PendingUpserts = [Pending("a1", "a", 10), Pending("a2", "a", 20), Pending("a3", "a", 30), Pending("b1", "b", 10)],
            WaitingUpserts = [Waiting("w1", "a", 10), Waiting("w2", "c", 10), Waiting("w3", "c", 40)],
        });

        int expired = await Apply(new JoinStateChanges { ExpireBefore = [("a", 25)], ExpireOtherWaitingBefore = 20, WaitingDeletes = ["w3"] });

        Assert.Equal(4, expired);
        await using var c = await Db.OpenAsync();
        Assert.Equal(["a3", "b1"], _store.Join.Find(c, "g", 1, ["a1", "a2", "a3", "b1"]).Pending.Select(r => r.PredictionId).Order());
        Assert.Empty(_store.Join.Find(c, "g", 1, ["w1", "w2", "w3"]).Waiting);
        Assert.Equal([("a", 1L), ("b", 1L)], (await _store.Join.StatsAsync(c, "g")).Select(s => (s.Model, s.Rows)).Order());
    }

    [Fact]
    public async Task A_joined_outcome_becomes_a_labelled_example_with_the_predictions_features_bounded_per_model()
    {
        PendingPredictionRow Pending(string id, long time, bool joined, bool features) => new()
        {
            ConsumerGroup = "g", Partition = 1, PredictionId = id, Model = "a", Version = "2", Prediction = "1", Score = 0.9, EventTime = time,
            Joined = joined ? 1 : 0, Features = features ? $$"""{"age":{{time}}}""" : null,
        };
        // p1 and p2 wait for their outcomes in one checkpoint; the next joins them (copied from their rows) and writes
        // p3 and p4 joined already (their examples from the rows the checkpoint carries).
        await Apply(new JoinStateChanges { PendingUpserts = [Pending("p1", 10, joined: false, features: true), Pending("p2", 20, joined: false, features: true)] });
        await Apply(new JoinStateChanges
        {
            PendingUpserts = [Pending("p1", 10, joined: true, features: false), Pending("p2", 20, joined: true, features: false), Pending("p3", 30, joined: true, features: false), Pending("p4", 40, joined: true, features: false)],
            Examples =
            [
                new JoinedExample("p1", "1", null), new JoinedExample("p2", "0", null),
                new JoinedExample("p3", "1", null) { Prediction = Pending("p3", 30, joined: true, features: true) },
                new JoinedExample("p4", "0", null) { Prediction = Pending("p4", 40, joined: true, features: true) },
                new JoinedExample("unknown", "1", null),
            ],
        });
        // The same join again (a checkpoint retried) adds nothing.
        await Apply(new JoinStateChanges { Examples = [new JoinedExample("p1", "1", null), new JoinedExample("p3", "1", null) { Prediction = Pending("p3", 30, joined: true, features: true) }] });

        await using var c = await Db.OpenAsync();
        var all = await ToListAsync(_store.Join.StreamExamplesAsync(c, "a", 0, 100));
        Assert.Equal(["p1", "p2", "p3", "p4"], all.Select(e => e.PredictionId));
        Assert.Equal(
            """{"predictionId":"p1","model":"a","version":"2","timestamp":"1970-01-01T00:00:00.01+00:00","features":{"age":10},"actual":"1","prediction":"1","score":0.9}""",
            all[0].Json.ToString());
        Assert.Equal(
            """{"predictionId":"p4","model":"a","version":"2","timestamp":"1970-01-01T00:00:00.04+00:00","features":{"age":40},"actual":"0","prediction":"1","score":0.9}""",
            all[3].Json.ToString());
        Assert.Equal(4, await _store.Join.CountExamplesAsync(c, "a", 0, 100));
        Assert.Equal(2, await _store.Join.CountExamplesAsync(c, "a", 20, 40));
        Assert.Equal(["p2", "p3"], (await ToListAsync(_store.Join.StreamExamplesAsync(c, "a", 20, 40))).Select(e => e.PredictionId));
        // The features are stored once: a joined prediction's row keeps only what dedupe needs.
        // Read from the table: Find never returns the features.
        var rows = (await c.QueryAsync<PendingPredictionRow>("SELECT prediction_id, joined, features FROM pending_predictions WHERE consumer_group = 'g' AND partition = 1")).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(r.Joined == 1 && r.Features is null, $"{r.PredictionId}: joined {r.Joined}, features {r.Features}"));

        // The newest two, and none before time 35: p4 stays.
        Assert.Equal(3, await _store.Join.PruneExamplesAsync(c, "g", keep: 2, before: 35));
        Assert.Equal(["p4"], (await ToListAsync(_store.Join.StreamExamplesAsync(c, "a", 0, 100))).Select(e => e.PredictionId));
    }

    [Fact]
    public async Task Examples_of_many_checkpoints_and_partitions_come_back_merged_in_time_order_and_pruned_by_count()
    {
        // Three partitions, two checkpoints each, times interleaved across them, one tie at 50 (ordered by id).
        var all = new List<(string Id, long Time)>();
        for (int partition = 0; partition < 3; partition++)
        {
            for (int sequence = 1; sequence <= 2; sequence++)
            {
                var examples = new List<JoinedExample>();
                for (int i = 0; i < 5; i++)
                {
                    long time = i * 20 + partition * 3 + sequence * 7;
                    string id = $"p{partition}-{sequence}-{i}";
                    if (partition == 2 && sequence == 1 && i == 0)
                        (id, time) = ("a-tie", 50);
                    if (partition == 0 && sequence == 1 && i == 0)
                        (id, time) = ("z-tie", 50);
                    all.Add((id, time));
                    examples.Add(new JoinedExample(id, "1", 1) { Prediction = new PendingPredictionRow { ConsumerGroup = "g", Partition = partition, PredictionId = id, Model = "m", Version = "1", Prediction = "0", EventTime = time, Joined = 1, Features = "{}" } });
                }

                await using var c = await Db.OpenAsync();
                await using var tx = await c.BeginTransactionAsync();
                await _store.Join.ApplyAsync(c, tx, "g", partition, new JoinStateChanges { Sequence = sequence, Examples = examples });
                await tx.CommitAsync();
            }
        }

        var expected = all.OrderBy(e => e.Time).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        await using var read = await Db.OpenAsync();
        var lines = await ToListAsync(_store.Join.StreamExamplesAsync(read, "m", 0, 1000));
        Assert.Equal(expected.Select(e => e.Id), lines.Select(l => l.PredictionId));
        Assert.All(lines, l => Assert.Equal(l.PredictionId, JsonDocument.Parse(l.Json.ToString()).RootElement.GetProperty("predictionId").GetString()));
        Assert.Equal(expected.Count(e => e.Time >= 30 && e.Time < 70), await _store.Join.CountExamplesAsync(read, "m", 30, 70));
        Assert.Equal(expected.Where(e => e.Time >= 30 && e.Time < 70).Select(e => e.Id), (await ToListAsync(_store.Join.StreamExamplesAsync(read, "m", 30, 70))).Select(l => l.PredictionId));

        // The newest 10 stay (and none older than time 0 goes by age).
        int pruned = await _store.Join.PruneExamplesAsync(read, "g", keep: 10, before: 0);
        long cutoff = expected[^10].Time;
        var kept = expected.Where(e => e.Time >= cutoff).Select(e => e.Id).ToList();
        Assert.Equal(expected.Count - kept.Count, pruned);
        Assert.Equal(kept, (await ToListAsync(_store.Join.StreamExamplesAsync(read, "m", 0, 1000))).Select(l => l.PredictionId));
        Assert.Equal(kept.Count, await _store.Join.CountExamplesAsync(read, "m", 0, 1000));
    }

    [Fact]
    public async Task Examples_stored_one_per_row_by_an_earlier_version_are_kept_by_the_migration_to_blocks()
    {
        var scripts = MigrationRunner.Scripts(_options.Provider).ToDictionary(s => s.Version, s => s.Sql);
        await using var c = await Db.OpenAsync();
        await c.ExecuteAsync("DROP TABLE labelled_example_blocks");
        await c.ExecuteAsync(scripts[7]);
        await c.ExecuteAsync("""
            INSERT INTO labelled_examples (consumer_group, model, prediction_id, version, event_time, features, actual, actual_number, prediction, score) VALUES
            ('g', 'm', 'b', '2', 86400500, '{"age": 41, "plan": "pro"}', 'yes', NULL, 'no', 0.25),
            ('g', 'm', 'a', '2', 86400500, '{"age":40}', '3.5', 3.5, '3', NULL),
            ('g', 'm', 'c', '1', 1000, '{}', '1', 1, '1', 0.5),
            ('g', 'other', 'd', '1', 2000, '{}', '0', 0, '0', 0.5)
            """);
        await c.ExecuteAsync(scripts[12]);

        var lines = await ToListAsync(_store.Join.StreamExamplesAsync(c, "m", 0, 200_000_000));
        Assert.Equal(["c", "a", "b"], lines.Select(l => l.PredictionId));
        var b = JsonDocument.Parse(lines[2].Json.ToString()).RootElement;
        Assert.Equal(("m", "2", "yes", "no", 0.25, 41, "pro"), (b.GetProperty("model").GetString(), b.GetProperty("version").GetString(), b.GetProperty("actual").GetString(), b.GetProperty("prediction").GetString(), b.GetProperty("score").GetDouble(), b.GetProperty("features").GetProperty("age").GetInt32(), b.GetProperty("features").GetProperty("plan").GetString()));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(86400500), b.GetProperty("timestamp").GetDateTimeOffset());
        var a = JsonDocument.Parse(lines[1].Json.ToString()).RootElement;
        Assert.Equal((3.5, JsonValueKind.Null), (a.GetProperty("actual").GetDouble(), a.GetProperty("score").ValueKind));
        Assert.Equal(1, await _store.Join.CountExamplesAsync(c, "other", 0, 200_000_000));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM labelled_example_blocks WHERE partition <> -1"));
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }

    private async Task<int> Apply(JoinStateChanges changes)
    {
        await using var c = await Db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        int expired = await _store.Join.ApplyAsync(c, tx, "g", 1, changes);
        await tx.CommitAsync();
        return expired;
    }

    private static MonitorCheckpoint Checkpoint(int partition, long watermark, long offset, string payload, long sequence, bool fail = false) => new(
        "g",
        partition,
        At: 1,
        Watermark: watermark,
        Partials: [new PartialRow { ConsumerGroup = "g", Model = "m", Version = "1", WindowStart = 0, WindowEnd = 600, Partition = partition, Payload = payload, UpdatedAt = 1 }],
        Offsets:
        [
            new OffsetRow { ConsumerGroup = "g", Topic = "mlops.predictions", Partition = partition, NextOffset = offset, UpdatedAt = 1 },
            new OffsetRow { ConsumerGroup = "g", Topic = "mlops.outcomes", Partition = partition, NextOffset = offset, UpdatedAt = 1 },
        ])
    {
        Sequence = sequence,
        ModelWatermarks = [new ModelWatermarkRow { ConsumerGroup = "g", Model = "m", Partition = partition, Watermark = watermark - 50, UpdatedAt = 1 }],
        Join = new JoinStateChanges
        {
            PendingUpserts = [new PendingPredictionRow { ConsumerGroup = "g", Partition = partition, PredictionId = payload, Model = fail ? null! : "m", Version = "1", Prediction = "1", EventTime = watermark }],
        },
    };

    private async Task Save(MonitorCheckpoint checkpoint)
    {
        await using var c = await Db.OpenAsync();
        await using var tx = await c.BeginTransactionAsync();
        await _store.SaveCheckpointAsync(c, tx, checkpoint);
        await tx.CommitAsync();
    }
}

public sealed class SqliteMonitorStateTests : MonitorStateContract
{
    protected override Task<StorageOptions> CreateOptionsAsync() => Task.FromResult(TestDatabases.NewSqlite());
}

public sealed class PostgresMonitorStateTests : MonitorStateContract
{
    protected override Task<StorageOptions> CreateOptionsAsync() => TestDatabases.NewPostgresSchemaAsync();
}
