using System.Globalization;
using Confluent.Kafka;
using MlOps.Hosting;
using MlOps.Kafka;
using MlOps.Storage;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// What a fault scenario runs on, all of its own: a Kafka-protocol cluster of three brokers (so that injected errors,
/// downed brokers and moved leaders touch no other test), the group's topics, a store shared by the monitor instances,
/// a webhook receiver every instance sends alerts to (cool-down off, so each alert counts), and a recorder of the
/// <c>DriftDetected</c> events on each instance's bus. <see cref="FaultVerdict.AssertExactAsync"/> (<see cref="Verdict"/>) is the verdict every scenario
/// ends with.
/// </summary>
internal sealed class FaultRig : IAsyncDisposable
{
    private readonly List<MonitorHost> _running = [];
    private readonly List<DriftRecorderService> _recorders = [];
    private readonly string _data;
    private readonly bool _ownStorage;
    private IConsumer<byte[], byte[]>? _reader;

    private FaultRig(KafkaDevCluster cluster, string group, int partitions, StorageOptions storage, bool ownStorage, WebhookReceiver webhooks, FaultStream stream, string data)
    {
        Cluster = cluster;
        Group = group;
        Partitions = partitions;
        Storage = storage;
        _ownStorage = ownStorage;
        Webhooks = webhooks;
        Stream = stream;
        _data = data;
        Verdict = new FaultVerdict(this);
    }

    public KafkaDevCluster Cluster { get; }

    /// <summary>The consumer group, also the prefix of the topic names.</summary>
    public string Group { get; }

    public int Partitions { get; }

    public StorageOptions Storage { get; }

    public WebhookReceiver Webhooks { get; }

    public FaultStream Stream { get; }

    /// <summary>Every <c>DriftDetected</c> delivered on the bus of any instance started so far, with its message id.</summary>
    public IReadOnlyList<(Guid? MessageId, Contracts.Monitoring.DriftDetected Message)> DriftOnBus => [.. _recorders.SelectMany(r => r.Received)];

    public FaultVerdict Verdict { get; }

    public IReadOnlyList<string> Topics => [$"{Group}.predictions", $"{Group}.outcomes"];

    /// <summary>
    /// Starts the cluster and makes the topics: predictions and outcomes with <paramref name="partitions"/> partitions
    /// and three replicas, partition p led by broker p % 3 + 1. <paramref name="storage"/> default: a SQLite file.
    /// </summary>
    public static async Task<FaultRig> StartAsync(FaultStream stream, int partitions = 6, StorageOptions? storage = null)
    {
        var cluster = KafkaDevCluster.Start(brokers: 3);
        string group = $"f{Guid.NewGuid():N}"[..12];
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
        {
            cluster.CreateTopic($"{group}.{topic}", partitions, replicationFactor: 3);
            for (int p = 0; p < partitions; p++)
                cluster.SetPartitionLeader($"{group}.{topic}", p, p % 3 + 1);
        }

        cluster.CreateTopic($"{group}.lifecycle", 1);
        string data = Directory.CreateTempSubdirectory("mlops-faults-").FullName;
        var webhooks = await WebhookReceiver.StartAsync();
        bool own = storage is null;
        storage ??= new StorageOptions { Provider = StorageProvider.Sqlite, ConnectionString = $"Data Source={Path.Combine(data, "mlops.db")}" };
        return new FaultRig(cluster, group, partitions, storage, own, webhooks, stream, data);
    }

    /// <summary>
    /// Starts a monitor instance (the whole platform, as <c>mlops up</c> composes it) in the group. It checkpoints
    /// every 200 ms, or — when <paramref name="checkpointRecords"/> is set — only after that many records of a
    /// partition, so that a crash loses processed records that the restart must read again.
    /// </summary>
    public async Task<MonitorHost> StartMonitorAsync(bool checkpointOnStop = true, int checkpointRecords = 50_000, IReadOnlyDictionary<string, string?>? overrides = null, IReadOnlyList<IMlOpsService>? extraServices = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MlOps:Alerts:Webhooks:0:Url"] = Webhooks.Url,
            ["MlOps:Alerts:Webhooks:0:Secret"] = "fault-suite-webhook-secret",
            ["MlOps:Alerts:Cooldown"] = "00:00:00",
            ["MlOps:Alerts:DispatchInterval"] = "00:00:00.100",
            ["MlOps:Alerts:RetryBaseDelay"] = "00:00:00.200",
            ["MlOps:Alerts:RetryMaxDelay"] = "00:00:02",
            ["MlOps:Alerts:MaxAttempts"] = "100",
            // Only events move watermarks: a fault that stalls a partition for a while must not close windows early.
            ["MlOps:Monitoring:IdleTimeout"] = "01:00:00",
            ["MlOps:Monitoring:OutboxInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        var recorder = new DriftRecorderService();
        var host = await MonitorHost.StartAsync(Cluster.BootstrapServers, _data, Group, Storage, checkpointOnStop, checkpointRecords, [recorder, .. extraServices ?? []], settings);
        lock (_running)
        {
            _running.Add(host);
            _recorders.Add(recorder);
        }

        return host;
    }

    /// <summary>Registers the stream's models through <paramref name="host"/>'s registry API; every running instance re-reads its catalog.</summary>
    public async Task RegisterAsync(MonitorHost host, Contracts.Retraining.RetrainingPolicy? retraining = null)
    {
        await Stream.RegisterAsync(host.RegistryAs("admin"), retraining);
        List<MonitorHost> running;
        lock (_running)
            running = [.. _running];
        foreach (var h in running)
            await h.Get<Catalog.IModelCatalog>().RefreshAllAsync(CancellationToken.None);
    }

    /// <summary>The next offsets the store holds for the group (what a restart resumes from).</summary>
    public async Task<Dictionary<(string Topic, int Partition), long>> StoredOffsetsAsync(MonitorHost host)
    {
        await using var c = await host.Get<Database>().OpenAsync();
        return (await host.Get<Storage.Monitoring.MonitorStateStore>().LoadOffsetsAsync(c, Group)).ToDictionary(o => (o.Topic, o.Partition), o => o.NextOffset);
    }

    /// <summary>Waits until every record of <paramref name="partitions"/> (both topics) is behind an offset in the store.</summary>
    public async Task WaitCheckpointedAsync(MonitorHost host, IEnumerable<int> partitions, string what)
    {
        var wanted = partitions.ToList();
        string seen = "";
        await Eventually.HoldsAsync(async () =>
        {
            var stored = await StoredOffsetsAsync(host);
            var ends = HighWatermarks(wanted);
            seen = $"stored {Describe(stored)}; ends {Describe(ends)}";
            return ends.All(e => e.Value == 0 || stored.GetValueOrDefault(e.Key) >= e.Value);
        }, what, () => seen, FaultScale.Recovery);
    }

    /// <summary>Stops an instance: gracefully when it was started with checkpointOnStop, else as a crash would (no last checkpoint).</summary>
    public async Task StopAsync(MonitorHost host)
    {
        lock (_running)
            _running.Remove(host);
        await host.DisposeAsync();
    }

    public IProducer<string, byte[]> Producer() =>
        KafkaProducers.CreateReliable<string, byte[]>(Cluster.BootstrapServers, customize: b => b.SetLogHandler((_, _) => { }));

    /// <summary>Produces positions [from, to) of the stream and waits until Kafka acknowledged them.</summary>
    public void Produce(IProducer<string, byte[]> producer, int from, int to, bool flush = true)
    {
        Stream.Produce(producer, Group, from, to);
        if (flush)
            Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(120)));
    }

    /// <summary>Produces the rest of the stream from <paramref name="from"/>, then the events that close every window.</summary>
    public void ProduceRestAndSeal(IProducer<string, byte[]> producer, int from)
    {
        Produce(producer, from, Stream.Length);
        Stream.Seal(producer, Group, Partitions);
    }

    /// <summary>The end offset of every partition of the predictions and outcomes topics.</summary>
    public Dictionary<(string Topic, int Partition), long> HighWatermarks(IEnumerable<int>? partitions = null)
    {
        var wanted = (partitions ?? Enumerable.Range(0, Partitions)).ToList();
        _reader ??= new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig { BootstrapServers = Cluster.BootstrapServers, GroupId = $"{Group}-probe" })
            .SetLogHandler((_, _) => { }).Build();
        var result = new Dictionary<(string, int), long>();
        foreach (string topic in Topics)
        {
            foreach (int p in wanted)
                result[(topic, p)] = _reader.QueryWatermarkOffsets(new TopicPartition(topic, p), TimeSpan.FromSeconds(5)).High.Value;
        }

        return result;
    }

    /// <summary>Every record of the dead-letter topic, as (source partition, source offset, reason).</summary>
    public List<(string Source, string Reason)> ReadDeadLetters()
    {
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = Cluster.BootstrapServers,
            GroupId = $"{Group}-dlq-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset($"{Group}.dlq", p, Offset.Beginning)));
        var letters = new List<(string, string)>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (atEnd.Count < Partitions && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
                continue;
            if (record.IsPartitionEOF)
            {
                atEnd.Add(record.Partition.Value);
                continue;
            }

            string Header(string name) => record.Message.Headers.TryGetLastBytes(name, out var b) ? System.Text.Encoding.UTF8.GetString(b) : "";
            letters.Add(($"{Header("mlops-source-topic")}[{Header("mlops-source-partition")}]@{Header("mlops-source-offset")}", Header("mlops-error")));
        }

        consumer.Close();
        return letters;
    }

    /// <summary>Moves the leadership of every partition of the group's topics to <paramref name="broker"/> (or back to p % 3 + 1 when null).</summary>
    public void MoveLeaders(Func<int, int> broker)
    {
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
        {
            for (int p = 0; p < Partitions; p++)
                Cluster.SetPartitionLeader($"{Group}.{topic}", p, broker(p));
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<MonitorHost> running;
        lock (_running)
            running = [.. _running];
        foreach (var host in running)
            await host.DisposeAsync();
        _reader?.Dispose();
        await Webhooks.DisposeAsync();
        await Cluster.DisposeAsync();
        if (_ownStorage)
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing handle; the temporary folder is cleaned by the OS.
        }
    }

    public static string Describe(Dictionary<(string Topic, int Partition), long> offsets) =>
        string.Join(" ", offsets.OrderBy(o => o.Key.Topic, StringComparer.Ordinal).ThenBy(o => o.Key.Partition).Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key.Topic[(o.Key.Topic.IndexOf('.', StringComparison.Ordinal) + 1)..]}[{o.Key.Partition}]={o.Value}")));
}
