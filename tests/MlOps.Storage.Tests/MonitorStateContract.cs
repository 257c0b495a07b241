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
    public async Task A_checkpoint_stores_partials_join_log_watermark_and_offsets_together()
    {
        await Save(Checkpoint(partition: 0, watermark: 100, offset: 42, payload: "a", sequence: 1));
        await Save(Checkpoint(partition: 0, watermark: 200, offset: 50, payload: "b", sequence: 2));
        await using var c = await Db.OpenAsync();
        var offsets = await _store.LoadOffsetsAsync(c, "g");
        Assert.Equal([("mlops.predictions", 0, 50L), ("mlops.outcomes", 0, 50L)], offsets.OrderByDescending(o => o.Topic).Select(o => (o.Topic, o.Partition, o.NextOffset)));
        var partial = Assert.Single(await _store.LoadPartialsAsync(c, "g", 0));
        Assert.Equal("b", partial.Payload);
        Assert.Equal(["a", "b"], (await _store.LoadJoinLogAsync(c, "g", 0)).Select(r => r.Payload));
        Assert.Equal([(0, 200L)], (await _store.LoadPartitionWatermarksAsync(c, "g")).Select(w => (w.Partition, w.Watermark)));
        Assert.Equal([("m", 0, 150L)], (await _store.LoadModelWatermarksAsync(c, "g")).Select(w => (w.Model, w.Partition, w.Watermark)));
        Assert.Empty(await _store.LoadOffsetsAsync(c, "other-group"));
    }

    [Fact]
    public async Task A_failed_checkpoint_leaves_the_previous_one()
    {
        await Save(Checkpoint(partition: 0, watermark: 100, offset: 42, payload: "a", sequence: 1));
        // The same join-log sequence again violates its key: the whole checkpoint must roll back.
        await Assert.ThrowsAnyAsync<Exception>(() => Save(Checkpoint(partition: 0, watermark: 300, offset: 99, payload: "z", sequence: 1)));
        await using var c = await Db.OpenAsync();
        Assert.All(await _store.LoadOffsetsAsync(c, "g"), o => Assert.Equal(42, o.NextOffset));
        Assert.Equal("a", Assert.Single(await _store.LoadPartialsAsync(c, "g", 0)).Payload);
        Assert.Equal([(0, 100L)], (await _store.LoadPartitionWatermarksAsync(c, "g")).Select(w => (w.Partition, w.Watermark)));
        Assert.Equal([50L], (await _store.LoadModelWatermarksAsync(c, "g", 0)).Select(w => w.Watermark));
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
    public async Task Compaction_replaces_the_join_log_by_a_snapshot()
    {
        for (int i = 1; i <= 3; i++)
            await Save(Checkpoint(partition: 2, watermark: i, offset: i, payload: $"e{i}", sequence: i));
        await using var c = await Db.OpenAsync();
        await using (var tx = await c.BeginTransactionAsync())
        {
            await _store.CompactJoinLogAsync(c, tx, "g", 2, 2, "snapshot");
            await tx.CommitAsync();
        }

        Assert.Equal([(2L, "snapshot"), (3L, "e3")], (await _store.LoadJoinLogAsync(c, "g", 2)).Select(r => (r.Sequence, r.Payload)));
    }

    private static MonitorCheckpoint Checkpoint(int partition, long watermark, long offset, string payload, long sequence) => new(
        "g",
        partition,
        At: 1,
        Watermark: watermark,
        Partials: [new PartialRow { ConsumerGroup = "g", Model = "m", Version = "1", WindowStart = 0, WindowEnd = 600, Partition = partition, Payload = payload, UpdatedAt = 1 }],
        JoinLog: new JoinLogRow { ConsumerGroup = "g", Partition = partition, Sequence = sequence, Payload = payload },
        Offsets:
        [
            new OffsetRow { ConsumerGroup = "g", Topic = "mlops.predictions", Partition = partition, NextOffset = offset, UpdatedAt = 1 },
            new OffsetRow { ConsumerGroup = "g", Topic = "mlops.outcomes", Partition = partition, NextOffset = offset, UpdatedAt = 1 },
        ])
    {
        ModelWatermarks = [new ModelWatermarkRow { ConsumerGroup = "g", Model = "m", Partition = partition, Watermark = watermark - 50, UpdatedAt = 1 }],
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
