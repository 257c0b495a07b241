using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Confluent.Kafka;

namespace MlOps.Kafka;

/// <summary>
/// An in-process Kafka-protocol cluster: librdkafka's mock cluster, listening on loopback ports. Any Kafka client,
/// in this process or another, connects to <see cref="BootstrapServers"/>. For development, tests and the embedded
/// mode; it keeps everything in memory and is gone when disposed.
/// </summary>
/// <remarks>
/// The mock implements produce (idempotent and transactional), fetch, offsets and consumer groups, but not the
/// admin API's CreateTopics: create topics with <see cref="CreateTopic"/>. A topic a producer writes to without
/// creating it first is auto-created with the mock's default of 4 partitions. Brokers have ids 1..n. Each partition
/// keeps only its latest ~5 MiB (and at most 100 000 messages): a consumer further behind than that
/// loses records, so produce compressed (LZ4 stretches it) and do not let a reader lag far behind in long runs.
/// Unlike a real broker it drops a retried duplicate batch only for transactional producers, and when a consumer
/// group's membership changes it waits session.timeout.ms − 1 s (44 s by default) for the members to rejoin: give
/// consumers that share a group a short session timeout here.
/// </remarks>
public sealed class KafkaDevCluster : IAsyncDisposable, IDisposable
{
    private const int ErrorTextSize = 512;

    private readonly Lock gate = new();
    private nint owner;
    private nint cluster;

    private KafkaDevCluster(nint owner, nint cluster, int brokers)
    {
        this.owner = owner;
        this.cluster = cluster;
        BrokerCount = brokers;
        BootstrapServers = Marshal.PtrToStringUTF8(MockClusterNative.ClusterBootstraps(cluster))
            ?? throw new InvalidOperationException("the mock cluster reported no bootstrap servers");
    }

    /// <summary>Comma-separated <c>host:port</c> of every broker, for a client's <c>bootstrap.servers</c>.</summary>
    public string BootstrapServers { get; }

    /// <summary>How many brokers the cluster has; their ids are 1 to this number.</summary>
    public int BrokerCount { get; }

    /// <summary>Starts a cluster of <paramref name="brokers"/> brokers on free loopback ports.</summary>
    public static unsafe KafkaDevCluster Start(int brokers = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(brokers, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(brokers, 64);
        KafkaNativeLibrary.EnsureLoaded();

        byte* errorText = stackalloc byte[ErrorTextSize];
        nint conf = MockClusterNative.ConfNew();
        // The owning handle never connects anywhere; it only hosts the mock brokers' threads. Errors only: it would
        // otherwise warn that it has no bootstrap.servers.
        Set(conf, "client.id", "mlops-dev-kafka", errorText);
        Set(conf, "log_level", "3", errorText);
        nint owner = MockClusterNative.New(MockClusterNative.ProducerType, conf, errorText, ErrorTextSize);
        if (owner == 0)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException($"librdkafka could not create the mock cluster's owner: {Text(errorText)}");
        }

        nint cluster = MockClusterNative.ClusterNew(owner, brokers);
        if (cluster == 0)
        {
            MockClusterNative.Destroy(owner);
            throw new InvalidOperationException($"librdkafka could not start a mock cluster of {brokers} brokers (are loopback ports available?)");
        }

        // Real brokers wait group.initial.rebalance.delay.ms (3 s) before the first rebalance; a dev cluster need not.
        MockClusterNative.GroupInitialRebalanceDelay(cluster, 0);
        return new KafkaDevCluster(owner, cluster, brokers);
    }

    /// <summary>Creates a topic; an existing topic of that name is an error.</summary>
    public void CreateTopic(string name, int partitions, int replicationFactor = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(replicationFactor, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(replicationFactor, BrokerCount);
        lock (gate)
            Check(MockClusterNative.TopicCreate(Cluster, name, partitions, replicationFactor), $"create topic '{name}'");
    }

    /// <summary>
    /// Disconnects a broker and refuses new connections to it. Leadership does not move: partitions it leads are
    /// unavailable until <see cref="SetBrokerUp"/> or <see cref="SetPartitionLeader"/>.
    /// </summary>
    public void SetBrokerDown(int brokerId)
    {
        CheckBroker(brokerId);
        lock (gate)
            Check(MockClusterNative.BrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");
    }

    /// <summary>Lets a broker accept connections again.</summary>
    public void SetBrokerUp(int brokerId)
    {
        CheckBroker(brokerId);
        lock (gate)
            Check(MockClusterNative.BrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");
    }

    /// <summary>Delays every response of a broker by <paramref name="roundTrip"/>.</summary>
    public void SetBrokerRoundTrip(int brokerId, TimeSpan roundTrip)
    {
        CheckBroker(brokerId);
        ArgumentOutOfRangeException.ThrowIfLessThan(roundTrip, TimeSpan.Zero);
        lock (gate)
            Check(MockClusterNative.BrokerSetRtt(Cluster, brokerId, checked((int)roundTrip.TotalMilliseconds)), $"set broker {brokerId} round trip");
    }

    /// <summary>Moves a partition's leadership to <paramref name="brokerId"/>; -1 leaves the partition without a leader.</summary>
    public void SetPartitionLeader(string topic, int partition, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (brokerId != -1)
            CheckBroker(brokerId);
        lock (gate)
            Check(MockClusterNative.PartitionSetLeader(Cluster, topic, partition, brokerId), $"set the leader of {topic} [{partition}]");
    }

    /// <summary>
    /// Makes <paramref name="brokerId"/> the coordinator of consumer group <paramref name="group"/> (the broker that
    /// takes its joins, heartbeats and offset commits), so that a test can fail the coordinator on purpose.
    /// </summary>
    public void SetGroupCoordinator(string group, int brokerId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(group);
        CheckBroker(brokerId);
        lock (gate)
            Check(MockClusterNative.CoordinatorSet(Cluster, "group", group, brokerId), $"make broker {brokerId} the coordinator of group '{group}'");
    }

    /// <summary>
    /// Makes the next requests of type <paramref name="apiKey"/>, to any broker, fail with <paramref name="errors"/>,
    /// one error per request in order. <see cref="ErrorCode.Local_Transport"/> makes the broker drop the connection.
    /// </summary>
    public unsafe void PushRequestErrors(KafkaApiKey apiKey, params ErrorCode[] errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Length == 0)
            return;
        var codes = new int[errors.Length];
        for (int i = 0; i < errors.Length; i++)
            codes[i] = (int)errors[i];
        lock (gate)
        {
            fixed (int* p = codes)
                MockClusterNative.PushRequestErrors(Cluster, (short)apiKey, (nuint)codes.Length, p);
        }
    }

    /// <summary>Drops the errors still queued for <paramref name="apiKey"/>.</summary>
    public void ClearRequestErrors(KafkaApiKey apiKey)
    {
        lock (gate)
            MockClusterNative.ClearRequestErrors(Cluster, (short)apiKey);
    }

    /// <summary>Starts recording every request the brokers receive, for <see cref="CountRequests"/>.</summary>
    public void StartRequestTracking()
    {
        lock (gate)
            MockClusterNative.StartRequestTracking(Cluster);
    }

    /// <summary>Stops recording requests and forgets those recorded.</summary>
    public void StopRequestTracking()
    {
        lock (gate)
        {
            MockClusterNative.StopRequestTracking(Cluster);
            MockClusterNative.ClearRequests(Cluster);
        }
    }

    /// <summary>
    /// How many requests of type <paramref name="apiKey"/> (to broker <paramref name="brokerId"/>, or to any) the
    /// brokers received since <see cref="StartRequestTracking"/>. A request counts when it arrives, before its
    /// response is sent.
    /// </summary>
    public unsafe int CountRequests(KafkaApiKey apiKey, int? brokerId = null)
    {
        lock (gate)
        {
            nint* requests = MockClusterNative.GetRequests(Cluster, out nuint count);
            if (requests == null)
                return 0;
            int matching = 0;
            for (nuint i = 0; i < count; i++)
            {
                nint request = requests[i];
                if (MockClusterNative.RequestApiKey(request) == (short)apiKey && (brokerId is null || MockClusterNative.RequestBrokerId(request) == brokerId))
                    matching++;
            }

            MockClusterNative.RequestDestroyArray(requests, count);
            return matching;
        }
    }

    /// <summary>Stops every broker and frees the cluster; connected clients see their connections drop.</summary>
    public void Dispose()
    {
        lock (gate)
        {
            if (cluster == 0)
                return;
            MockClusterNative.ClusterDestroy(cluster);
            MockClusterNative.Destroy(owner);
            cluster = 0;
            owner = 0;
        }
    }

    /// <summary>Disposes on the thread pool: stopping the broker threads blocks for a moment.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    private nint Cluster => cluster != 0 ? cluster : throw new ObjectDisposedException(nameof(KafkaDevCluster));

    private void CheckBroker(int brokerId)
    {
        if (brokerId < 1 || brokerId > BrokerCount)
            throw new ArgumentOutOfRangeException(nameof(brokerId), brokerId, $"broker ids run from 1 to {BrokerCount}");
    }

    private static void Check(int error, string what)
    {
        if (error != 0)
            throw new KafkaException(new Error((ErrorCode)error, $"mock cluster: cannot {what}: {new Error((ErrorCode)error).Reason}"));
    }

    private static unsafe void Set(nint conf, string name, string value, byte* errorText)
    {
        if (MockClusterNative.ConfSet(conf, name, value, errorText, ErrorTextSize) != MockClusterNative.ConfOk)
        {
            MockClusterNative.ConfDestroy(conf);
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"librdkafka rejected {name}={value}: {Text(errorText)}"));
        }
    }

    private static unsafe string Text(byte* errorText) => Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(errorText));
}
