using Confluent.Kafka;
using MlOps.Kafka;
using MlOps.Monitoring.Results;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// End to end through Kafka: the window counts equal the produced counts exactly, also when the monitor stops without
/// a last checkpoint and restarts, when a broker goes down and up, and when partitions move between two instances.
/// </summary>
[Collection(KafkaCollection.Name)]
public abstract class ExactlyOnceTests(KafkaClusterFixture kafka) : IAsyncLifetime
{
    private const int Partitions = 3;
    private const int Events = 3000;
    private readonly string _group = $"t{Guid.NewGuid():N}"[..12];
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-monitor-e2e-").FullName;
    private readonly DateTimeOffset _base = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-30);

    private Storage.StorageOptions _storage = null!;

    /// <summary>The store the monitor instances of a test share.</summary>
    protected abstract Task<Storage.StorageOptions> CreateStorageAsync(string dataFolder);

    protected abstract Task DropStorageAsync(Storage.StorageOptions storage);

    /// <summary>Holds the store's write lock (as a long transaction of another client would) until disposed.</summary>
    protected abstract Task<IAsyncDisposable> StallWritesAsync(Storage.StorageOptions storage);

    public async Task InitializeAsync() => _storage = await CreateStorageAsync(_data);

    public async Task DisposeAsync()
    {
        await DropStorageAsync(_storage);
        Directory.Delete(_data, recursive: true);
    }

    private Task<MonitorHost> StartAsync(bool checkpointOnStop = true, int checkpointRecords = 50_000, IReadOnlyList<MlOps.Hosting.IMlOpsService>? extraServices = null, int? processingThreads = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (processingThreads is { } threads)
            settings["MlOps:Monitoring:ProcessingThreads"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return MonitorHost.StartAsync(kafka.Cluster.BootstrapServers, _data, _group, _storage, checkpointOnStop, checkpointRecords, extraServices, settings);
    }

    private List<string> ReadDeadLetters(int expected)
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = kafka.Cluster.BootstrapServers, GroupId = $"{_group}-dlq-reader", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe($"{_group}.dlq");
        var reasons = new List<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (reasons.Count < expected && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record?.Message?.Headers?.TryGetLastBytes("mlops-error", out var reason) == true)
                reasons.Add(System.Text.Encoding.UTF8.GetString(reason));
        }

        consumer.Close();
        return reasons;
    }

    [Fact]
    public async Task Window_counts_equal_produced_counts_with_duplicates_and_poison_records()
    {
        CreateTopics();
        await using var host = await StartAsync();
        await host.RegisterModelAsync(windowMinutes: 1);
        // Any app can produce: a plain Confluent.Kafka producer and hand-written JSON, no MlOps code.
        using var producer = new ProducerBuilder<string, byte[]>(new ProducerConfig
        {
            BootstrapServers = kafka.Cluster.BootstrapServers,
            Partitioner = Partitioner.Murmur2Random,
            EnableIdempotence = true,
        }).Build();
        for (int i = 0; i < Events; i++)
        {
            string id = $"p-{i:D7}";
            string at = _base.AddMilliseconds(i * (120_000.0 / Events)).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
            string json = $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"churn","modelVersion":"1","timestamp":"{{at}}","features":{"age":{{40 + i % 30}},"income":null,"plan":"{{(i % 2 == 0 ? "basic" : "gold")}}"},"prediction":"{{i % 2}}","score":0.{{i % 10}}}""";
            var message = new Message<string, byte[]> { Key = id, Value = System.Text.Encoding.UTF8.GetBytes(json) };
            producer.Produce($"{_group}.predictions", message);
            if (i % 100 == 0)
                producer.Produce($"{_group}.predictions", message); // a producer retry
            if (i % 500 == 0)
                producer.Produce($"{_group}.predictions", new Message<string, byte[]> { Key = $"bad-{i}", Value = "not json"u8.ToArray() });
            if (i % 700 == 0)
                producer.Produce($"{_group}.predictions", new Message<string, byte[]> { Key = $"type-{i}", Value = System.Text.Encoding.UTF8.GetBytes(json.Replace("\"age\":", "\"age\":\"old\",\"x\":", StringComparison.Ordinal)) });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        using var flush = Producer();
        Flush(flush);
        await AssertExactCounts(host);

        // Every rejected record is in the DLQ with its reason.
        int poison = Enumerable.Range(0, Events).Count(i => i % 500 == 0), mistyped = Enumerable.Range(0, Events).Count(i => i % 700 == 0);
        var reasons = ReadDeadLetters(poison + mistyped);
        Assert.Equal(poison, reasons.Count(r => r == "not_json"));
        Assert.Equal(mistyped, reasons.Count(r => r is "wrong_type" or "unknown_feature"));
    }

    [Fact]
    public async Task A_count_triggered_model_carries_an_under_filled_window_into_the_next()
    {
        CreateTopics();
        await using var host = await StartAsync();
        await host.RegisterModelAsync(windowMinutes: 1, countTrigger: Events * 2 / 3);
        using var producer = Producer();
        Produce(producer, 0, Events, duplicates: false, poison: false);
        Flush(producer);
        long w0 = _base.ToUnixTimeMilliseconds(), w1 = _base.AddMinutes(1).ToUnixTimeMilliseconds();
        await Eventually(async () => (await host.ResultsAsync()).Any(r => r.WindowStart == w1), "window 1 closed");
        var results = await host.ResultsAsync();
        Assert.DoesNotContain(results, r => r.WindowStart == w0);
        var merged = results.Single(r => r.WindowStart == w1);
        Assert.Equal(Events, merged.Predictions);
        Assert.Contains(_base.ToString("yyyy-MM-ddTHH:mm:ss", System.Globalization.CultureInfo.InvariantCulture), merged.ResultJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_promotion_is_published_to_the_lifecycle_topic_keyed_by_model()
    {
        CreateTopics();
        await using var host = await StartAsync();
        await host.RegisterModelAsync(windowMinutes: 1);
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig { BootstrapServers = kafka.Cluster.BootstrapServers, GroupId = $"{_group}-serving", AutoOffsetReset = AutoOffsetReset.Earliest }).Build();
        consumer.Subscribe($"{_group}.lifecycle");
        ConsumeResult<string, byte[]>? record = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (record is null && DateTime.UtcNow < deadline)
            record = consumer.Consume(TimeSpan.FromMilliseconds(200));
        Assert.NotNull(record);
        Assert.Equal("churn", record.Message.Key);
        Assert.True(record.Message.Headers.TryGetLastBytes("mlops-event", out var type));
        Assert.Equal("ModelPromoted", System.Text.Encoding.UTF8.GetString(type));
        var promoted = System.Text.Json.JsonSerializer.Deserialize(record.Message.Value, Contracts.Serialization.ContractsJsonContext.Default.ModelPromoted)!;
        Assert.Equal(("churn", "1"), (promoted.Model, promoted.Version));
        consumer.Close();
    }

    [Fact]
    public async Task Outcomes_after_their_window_closed_still_count_towards_its_performance_once()
    {
        CreateTopics();
        await using var host = await StartAsync();
        await host.RegisterModelAsync(windowMinutes: 1);
        using var producer = Producer();
        Produce(producer, 0, Events, duplicates: false, poison: false);
        Flush(producer);
        await AssertExactCounts(host);
        long w0 = _base.ToUnixTimeMilliseconds();
        // Every outcome produced with window 0's predictions counts once, joined in time or folded in late.
        long before = Enumerable.Range(0, Events / 2).Count(i => i % 4 == 0);
        await Eventually(async () => (await host.ResultsAsync()).Single(r => r.WindowStart == w0).Labelled == before, "the first outcomes counted");

        // Outcomes for window 0's predictions that had none, long after the window closed; some sent twice.
        var random = new Random(5);
        var late = Enumerable.Range(0, Events / 2).Where(i => i % 4 == 1).ToList();
        foreach (int i in late)
        {
            var outcome = MonitorHost.Message(TestModels.Outcome(i, _base.AddHours(1), random));
            producer.Produce($"{_group}.outcomes", outcome);
            if (i % 10 == 1)
                producer.Produce($"{_group}.outcomes", outcome);
        }

        producer.Flush(TimeSpan.FromSeconds(30));
        await Eventually(async () => (await host.ResultsAsync()).Single(r => r.WindowStart == w0).Labelled >= before + late.Count, "late labels folded into window 0");
        // Give a double count (the duplicates, or a second fold) time to show before checking the exact number.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var result = (await host.ResultsAsync()).Single(r => r.WindowStart == w0);
        Assert.Equal(before + late.Count, result.Labelled);
        Assert.Contains("\"roc_auc\"", result.ResultJson, StringComparison.Ordinal);

        // Each join, in time or late, is one labelled example with the prediction's features (for retraining).
        List<System.Text.Json.JsonElement> examples = [];
        await Eventually(async () => (examples = await host.ExamplesAsync(_base, _base.AddMinutes(1))).Count >= before + late.Count, "the labelled examples of window 0");
        Assert.Equal(before + late.Count, examples.Count);
        Assert.Equal(examples.Count, examples.Select(e => e.GetProperty("predictionId").GetString()).Distinct().Count());
        Assert.All(examples, e =>
        {
            Assert.Equal("1", e.GetProperty("version").GetString());
            Assert.True(e.GetProperty("features").TryGetProperty("age", out _));
            Assert.Contains(e.GetProperty("actual").GetString(), new[] { "0", "1" });
        });
    }

    [Fact]
    public async Task A_monitor_stopped_without_a_last_checkpoint_resumes_without_loss_or_double_count()
    {
        CreateTopics();
        using var producer = Producer();
        // Checkpoints only every 300 records of a partition: most of the last records are processed but not stored.
        await using (var first = await StartAsync(checkpointOnStop: false, checkpointRecords: 300))
        {
            await first.RegisterModelAsync(windowMinutes: 1);
            Produce(producer, 0, Events / 2, duplicates: true, poison: false);
            producer.Flush(TimeSpan.FromSeconds(30));
            await Eventually(async () => await Checkpointed(first) > 0, "a checkpoint with offsets");
            await Eventually(() => Task.FromResult(first.Get<Hosting.MonitorWorker>().AssignedPartitions.Count == Partitions), "partitions assigned");
            // Records read after the last checkpoint are lost with the process and must be read again.
        }

        Produce(producer, Events / 2, Events, duplicates: true, poison: false);
        Flush(producer);
        await using var second = await StartAsync();
        await AssertExactCounts(second);
    }

    // A store slower than the stream holds the monitor to its pace: the processing thread stops 2 x CheckpointRecords
    // past the checkpoint it is writing, instead of holding everything the consumer reads in memory.
    [Fact]
    public async Task A_stalled_store_holds_the_processing_back_and_loses_nothing()
    {
        const int checkpointRecords = 200, predictions = 20_000, records = predictions + predictions / 4;
        CreateTopics();
        await using var host = await StartAsync(checkpointRecords: checkpointRecords, processingThreads: 1);
        await host.RegisterModelAsync(windowMinutes: 1);
        var worker = host.Get<Hosting.MonitorWorker>();
        await Eventually(() => Task.FromResult(worker.AssignedPartitions.Count == Partitions), "partitions assigned");
        using var producer = Producer();
        double waitedBefore = Metrics.MonitoringMetrics.CheckpointWaits.Value;
        long before = worker.RecordsApplied;
        await using (await StallWritesAsync(_storage))
        {
            // Windows 0 and 1 get Events / 2 predictions each, the rest goes to later windows.
            Produce(producer, 0, predictions, duplicates: false, poison: false);
            producer.Flush(TimeSpan.FromSeconds(30));
            long applied = 0;
            for (int stable = 0; stable < 10;)
            {
                await Task.Delay(100);
                long now = worker.RecordsApplied - before;
                stable = now == applied && now > 0 ? stable + 1 : 0;
                applied = now;
            }

            // One checkpoint in flight and the records since, each at most 2 x CheckpointRecords per partition and a
            // batch of 2 000 (the records before the stall were in memory too: a checkpoint of them may be writing).
            int bound = 2 * (Partitions * 2 * checkpointRecords + 2_000) + 2_000;
            Assert.InRange(applied, 1, bound);
        }

        await Eventually(() => Task.FromResult(worker.RecordsApplied - before == records), "every record applied once the store is back");
        Assert.True(Metrics.MonitoringMetrics.CheckpointWaits.Value > waitedBefore, "the processing thread did not wait for its store");
        Flush(producer);
        await AssertExactCounts(host);
    }

    [Fact]
    public async Task A_broker_going_down_and_up_loses_and_duplicates_nothing()
    {
        CreateTopics();
        for (int p = 0; p < Partitions; p++)
        {
            kafka.Cluster.SetPartitionLeader($"{_group}.predictions", p, 2);
            kafka.Cluster.SetPartitionLeader($"{_group}.outcomes", p, 2);
        }

        await using var host = await StartAsync();
        await host.RegisterModelAsync(windowMinutes: 1);
        using var producer = Producer();
        Produce(producer, 0, Events / 2, duplicates: false, poison: false);
        kafka.Cluster.SetBrokerDown(2);
        Produce(producer, Events / 2, Events, duplicates: false, poison: false);
        await Task.Delay(TimeSpan.FromSeconds(2));
        kafka.Cluster.SetBrokerUp(2);
        Flush(producer);
        await AssertExactCounts(host);
    }

    // One processing thread, and more threads than partitions: a partition's records stay in order on one thread,
    // and a partition that moves away is checkpointed only after its thread has applied what was read.
    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public async Task Partitions_moving_between_two_instances_count_every_event_once(int processingThreads)
    {
        CreateTopics();
        using var producer = Producer();
        await using var first = await StartAsync(processingThreads: processingThreads);
        await first.RegisterModelAsync(windowMinutes: 1);
        await using (var second = await StartAsync(processingThreads: 2))
        {
            Produce(producer, 0, Events / 2, duplicates: true, poison: false);
            producer.Flush(TimeSpan.FromSeconds(30));
            await Eventually(async () => await Checkpointed(first) > 0, "checkpoints by both instances");
            // The second instance leaves: its partitions are revoked (checkpointed) and move to the first.
        }

        Produce(producer, Events / 2, Events, duplicates: true, poison: false);
        Flush(producer);
        await AssertExactCounts(first);
    }

    [Fact]
    public async Task A_crash_between_storing_a_window_and_publishing_its_alert_loses_no_alert()
    {
        CreateTopics();
        using var producer = Producer();
        long w0 = _base.ToUnixTimeMilliseconds(), w1 = _base.AddMinutes(1).ToUnixTimeMilliseconds();
        await using (var crashing = await StartAsync(extraServices: [new NoOutboxRelayService()]))
        {
            await crashing.RegisterModelAsync(windowMinutes: 1);
            // Ages 40 years older than the reference: both windows drift.
            Produce(producer, 0, Events, duplicates: false, poison: false, ageShift: 40);
            Flush(producer);
            await Eventually(async () => (await crashing.ResultsAsync()).Count(r => r.WindowStart == w0 || r.WindowStart == w1) == 2, "windows 0 and 1 closed");
            // The process dies here: the windows are stored, their alerts are in the outbox, none went out.
            await using var c = await crashing.Get<Storage.Database>().OpenAsync();
            var pending = await crashing.Get<Storage.Monitoring.OutboxStore>().LoadPendingAsync(c, 100);
            Assert.Equal(2, pending.Count(r => r.MessageType == "DriftDetected"));
        }

        var recorder = new DriftRecorderService();
        await using var restarted = await StartAsync(extraServices: [recorder]);
        await Eventually(() => Task.FromResult(recorder.Received.Count >= 2), "both DriftDetected published after the restart");

        var received = recorder.Received.OrderBy(r => r.Message.WindowStart).ToList();
        Assert.Equal([_base, _base.AddMinutes(1)], received.Select(r => r.Message.WindowStart));
        Assert.All(received, r => Assert.Equal(OutboxMessages.MessageId(_group, "churn", "1", r.Message.WindowStart, "DriftDetected"), r.MessageId));
        Assert.All(received, r => Assert.Contains("age", r.Message.DriftedFeatures));
        Assert.Equal(Events / 2, received[0].Message.Rows);
    }

    [Fact]
    public async Task A_quiet_model_among_busier_ones_keeps_its_window_open_while_a_restarted_monitor_reads_the_backlog()
    {
        CreateTopics();
        var settings = new Dictionary<string, string?> { ["MlOps:Monitoring:IdleTimeout"] = "00:00:00.200", ["MlOps:Monitoring:ProcessingThreads"] = "1" };
        await using (var first = await StartAsync(overrides: settings))
        {
            await first.RegisterModelAsync(windowMinutes: 1, name: "quiet");
            await first.RegisterModelAsync(windowMinutes: 1, name: "busy");
        }

        // The backlog the monitor finds when it comes back, on one partition: the quiet model's first 100 predictions,
        // 70 000 small ones of the busy model (more than the monitor queues ahead, and far longer to read than the idle
        // timeout), the quiet model's last 100; all of the quiet ones in its window 0. A clock that ran on while the
        // partition caught up would close that window before the last 100 were read, and count them too late.
        using var producer = Producer();
        var random = new Random(5);
        var partition = new TopicPartition($"{_group}.predictions", 0);
        string at = _base.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < 200; i++)
        {
            if (i == 100)
            {
                for (int j = 0; j < 70_000; j++)
                {
                    string json = $$"""{"schemaVersion":1,"predictionId":"b{{j}}","model":"busy","modelVersion":"1","timestamp":"{{at}}","features":{"age":40},"prediction":"1"}""";
                    producer.Produce(partition, new Message<string, byte[]> { Key = $"b{j}", Value = System.Text.Encoding.UTF8.GetBytes(json) });
                }
            }

            producer.Produce(partition, MonitorHost.Message(TestModels.Prediction(i, _base.AddMilliseconds(i * 100), random) with { Model = "quiet" }));
        }

        producer.Flush(TimeSpan.FromSeconds(60));
        await using var restarted = await StartAsync(overrides: settings);
        long w0 = _base.ToUnixTimeMilliseconds();
        await Eventually(async () => (await restarted.ResultsAsync("quiet")).Any(r => r.WindowStart == w0), "the quiet model's window 0 closed once the backlog was read");
        Assert.Equal(200, (await restarted.ResultsAsync("quiet")).Single(r => r.WindowStart == w0).Predictions);
    }

    private async Task AssertExactCounts(MonitorHost host)
    {
        long w0 = _base.ToUnixTimeMilliseconds(), w1 = _base.AddMinutes(1).ToUnixTimeMilliseconds();
        await Eventually(async () => (await host.ResultsAsync()).Count(r => r.WindowStart == w0 || r.WindowStart == w1) == 2, "windows 0 and 1 closed");
        var results = await host.ResultsAsync();
        long first = results.Single(r => r.WindowStart == w0).Predictions;
        long second = results.Single(r => r.WindowStart == w1).Predictions;
        Assert.Equal(Events / 2, first);
        Assert.Equal(Events / 2, second);
    }

    // Predictions i in [from, to) have event times spread evenly over two 1-minute windows.
    private void Produce(IProducer<string, byte[]> producer, int from, int to, bool duplicates, bool poison, double ageShift = 0)
    {
        var random = new Random(from);
        for (int i = from; i < to; i++)
        {
            var at = _base.AddMilliseconds(i * (120_000.0 / Events));
            var e = TestModels.Prediction(i, at, random, ageShift);
            producer.Produce($"{_group}.predictions", MonitorHost.Message(e));
            if (duplicates && i % 100 == 0)
                producer.Produce($"{_group}.predictions", MonitorHost.Message(e)); // a producer retry
            if (i % 4 == 0)
                producer.Produce($"{_group}.outcomes", MonitorHost.Message(TestModels.Outcome(i, at.AddSeconds(5), random)));
            if (poison && i % 500 == 0)
                producer.Produce($"{_group}.predictions", new Message<string, byte[]> { Key = $"bad-{i}", Value = "not json"u8.ToArray() });
        }
    }

    // One late event per partition pushes every partition's watermark past windows 0 and 1.
    private void Flush(IProducer<string, byte[]> producer)
    {
        var random = new Random(99);
        for (int p = 0; p < Partitions; p++)
        {
            var e = TestModels.Prediction(1_000_000 + p, _base.AddMinutes(10), random);
            producer.Produce(new TopicPartition($"{_group}.predictions", p), MonitorHost.Message(e));
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private void CreateTopics()
    {
        foreach (string topic in new[] { "predictions", "outcomes", "dlq", "lifecycle" })
            kafka.Cluster.CreateTopic($"{_group}.{topic}", Partitions);
    }

    private IProducer<string, byte[]> Producer() => KafkaProducers.CreateReliable<string, byte[]>(kafka.Cluster.BootstrapServers);

    private async Task<long> Checkpointed(MonitorHost host)
    {
        var database = host.Get<Storage.Database>();
        await using var c = await database.OpenAsync();
        return (await host.Get<Storage.Monitoring.MonitorStateStore>().LoadOffsetsAsync(c, _group)).Sum(o => o.NextOffset);
    }

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
                return;
            await Task.Delay(100);
        }

        Assert.Fail($"Timed out waiting for {what}.");
    }

}

public sealed class SqliteExactlyOnceTests(KafkaClusterFixture kafka) : ExactlyOnceTests(kafka)
{
    protected override Task<Storage.StorageOptions> CreateStorageAsync(string dataFolder) =>
        Task.FromResult(new Storage.StorageOptions { ConnectionString = $"Data Source={Path.Combine(dataFolder, "mlops.db")}" });

    protected override Task DropStorageAsync(Storage.StorageOptions storage)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }

    // BEGIN IMMEDIATE takes SQLite's write lock: the monitor's writes wait (busy_timeout), its reads go on.
    protected override async Task<IAsyncDisposable> StallWritesAsync(Storage.StorageOptions storage)
    {
        var connection = new Microsoft.Data.Sqlite.SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync();
        }

        return new Stall(async () =>
        {
            await using (var rollback = connection.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            await connection.DisposeAsync();
        });
    }
}

public sealed class PostgresExactlyOnceTests(KafkaClusterFixture kafka) : ExactlyOnceTests(kafka)
{
    protected override Task<Storage.StorageOptions> CreateStorageAsync(string dataFolder) => TestDatabases.NewPostgresSchemaAsync();

    protected override Task DropStorageAsync(Storage.StorageOptions storage) => TestDatabases.DropAsync(storage);

    // Every checkpoint writes the offsets: an EXCLUSIVE lock on their table holds the writes back, not the reads.
    protected override async Task<IAsyncDisposable> StallWritesAsync(Storage.StorageOptions storage)
    {
        var connection = new Npgsql.NpgsqlConnection(storage.ConnectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE monitor_offsets IN EXCLUSIVE MODE", connection, transaction))
            await command.ExecuteNonQueryAsync();
        return new Stall(async () =>
        {
            await transaction.RollbackAsync();
            await connection.DisposeAsync();
        });
    }
}

file sealed class Stall(Func<Task> release) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await release();
}
