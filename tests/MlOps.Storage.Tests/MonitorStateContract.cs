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
        Assert.Equal(("2", "{\"age\":10}", "1", "1", 0.9), (all[0].Version, all[0].Features, all[0].Actual, all[0].Prediction, all[0].Score));
        Assert.Equal(("2", "{\"age\":40}", "0", "1", 0.9), (all[3].Version, all[3].Features, all[3].Actual, all[3].Prediction, all[3].Score));
        // The features are stored once: a joined prediction's row keeps only what dedupe needs.
        // Read from the table: Find never returns the features.
        var rows = (await c.QueryAsync<PendingPredictionRow>("SELECT prediction_id, joined, features FROM pending_predictions WHERE consumer_group = 'g' AND partition = 1")).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.True(r.Joined == 1 && r.Features is null, $"{r.PredictionId}: joined {r.Joined}, features {r.Features}"));

        // The newest two, and none before time 35: p4 stays.
        Assert.Equal(3, await _store.Join.PruneExamplesAsync(c, "g", keep: 2, before: 35));
        Assert.Equal(["p4"], (await ToListAsync(_store.Join.StreamExamplesAsync(c, "a", 0, 100))).Select(e => e.PredictionId));
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
