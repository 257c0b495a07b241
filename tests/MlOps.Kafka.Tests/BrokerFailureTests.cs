using System.Globalization;
using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

/// <summary>Producers across a broker failure in the dev cluster, and what the dev cluster does and does not deduplicate.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class BrokerFailureTests(KafkaClusterFixture fixture)
{
    private const int Partitions = 3;
    private const int PerPartition = 2_000;
    private const int Total = Partitions * PerPartition;
    private const int FailingBroker = 1;

    [Fact]
    public async Task A_leader_down_mid_production_and_back_up_loses_and_duplicates_nothing()
    {
        string topic = CreateTopic();
        using var producer = Reliable(out var run);

        await ProduceAcrossFailureAsync(producer, topic, run, Failure.BrokerDown);

        Assert.Empty(run.Errors);
        var ids = ReadBack(topic);
        Assert.Equal(Total, ids.Count);
        Assert.Equal(Total, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task A_leader_down_mid_production_whose_partition_moves_to_another_broker_loses_and_duplicates_nothing()
    {
        string topic = CreateTopic();
        using var producer = Reliable(out var run);

        await ProduceAcrossFailureAsync(producer, topic, run, Failure.BrokerDown, whileDown: () => fixture.Cluster.SetPartitionLeader(topic, 0, 2), bringBackUpBeforeFlush: false);

        Assert.Empty(run.Errors);
        var ids = ReadBack(topic);
        Assert.Equal(Total, ids.Count);
        Assert.Equal(Total, ids.Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>
    /// A broker that appended a batch but went down before answering: the idempotent producer retries it, and a real
    /// broker would drop the copy by its producer id and sequence. librdkafka's mock checks sequences only for
    /// transactional producers, so here the copy stays — which makes this the way to produce genuine duplicates for
    /// tests of duplicate handling downstream (DESIGN.md: duplicate predictionIds are counted once).
    /// </summary>
    [Fact]
    public async Task The_dev_cluster_keeps_the_copy_when_an_idempotent_producer_retries_a_batch_whose_answer_was_lost()
    {
        string topic = CreateTopic();
        using var producer = Reliable(out var run);

        await ProduceAcrossFailureAsync(producer, topic, run, Failure.BrokerDownWithAnswerPending);

        Assert.Empty(run.Errors);
        var ids = ReadBack(topic);
        Assert.Equal(Total, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.True(ids.Count > Total, "no batch was retried: the failure did not catch a request in flight");
    }

    [Fact]
    public async Task A_transactional_producer_survives_a_lost_answer_exactly_once()
    {
        string topic = CreateTopic();
        using var producer = Reliable(out var run, transactionalId: $"test-{Guid.NewGuid():N}");
        producer.InitTransactions(Poll.Timeout);
        producer.BeginTransaction();

        await ProduceAcrossFailureAsync(producer, topic, run, Failure.BrokerDownWithAnswerPending);
        producer.CommitTransaction(Poll.Timeout);

        Assert.Empty(run.Errors);
        var ids = ReadBack(topic);
        Assert.Equal(Total, ids.Count);
        Assert.Equal(Total, ids.Distinct(StringComparer.Ordinal).Count());
    }

    private enum Failure
    {
        /// <summary>Broker 1 goes down between requests: its partition's messages wait.</summary>
        BrokerDown,

        /// <summary>Broker 1 goes down after receiving a Produce request and before answering it.</summary>
        BrokerDownWithAnswerPending,
    }

    private string CreateTopic()
    {
        string topic = KafkaClusterFixture.UniqueTopic("failover");
        fixture.Cluster.CreateTopic(topic, Partitions, replicationFactor: 3);
        for (int p = 0; p < Partitions; p++)
            fixture.Cluster.SetPartitionLeader(topic, p, p + 1);
        return topic;
    }

    private IProducer<string, string> Reliable(out ProductionRun run, string? transactionalId = null)
    {
        var observed = new ProductionRun();
        run = observed;
        return KafkaProducers.CreateReliable<string, string>(
            fixture.BootstrapServers,
            configure: c =>
            {
                if (transactionalId is not null)
                    c.TransactionalId = transactionalId;
            },
            customize: b => b.SetLogHandler((_, _) => { }).SetErrorHandler((_, e) => observed.NoteClientError(e)));
    }

    /// <summary>
    /// Partition p is led by broker p + 1 and gets every third message. Half the messages are delivered, then broker 1
    /// fails and the other half is produced. When partitions 1 and 2 are complete, partition 0 must still be waiting
    /// (else the failure did not happen); then <paramref name="whileDown"/> runs and broker 1 comes back up, before or
    /// after the flush.
    /// </summary>
    private async Task ProduceAcrossFailureAsync(
        IProducer<string, string> producer, string topic, ProductionRun run, Failure failure, Action? whileDown = null, bool bringBackUpBeforeFlush = true)
    {
        var cluster = fixture.Cluster;
        try
        {
            Produce(producer, topic, run, 0, Total / 2);
            await Eventually.HoldsAsync(() => run.Delivered == Total / 2, "the first half to be delivered");

            if (failure == Failure.BrokerDown)
            {
                cluster.SetBrokerDown(FailingBroker);
                Produce(producer, topic, run, Total / 2, Total);
            }
            else
            {
                // Broker 1 appends what it receives but answers late; it goes down while an answer is pending.
                cluster.StartRequestTracking();
                cluster.SetBrokerRoundTrip(FailingBroker, TimeSpan.FromSeconds(5));
                Produce(producer, topic, run, Total / 2, Total);
                await Eventually.HoldsAsync(() => cluster.CountRequests(KafkaApiKey.Produce, FailingBroker) > 0, "a Produce request to broker 1");
                cluster.SetBrokerDown(FailingBroker);
            }

            await Eventually.HoldsAsync(() => run.DeliveredTo(1) == PerPartition && run.DeliveredTo(2) == PerPartition, "the partitions on the healthy brokers");
            Assert.True(run.DeliveredTo(0) < PerPartition, "partition 0 was complete although its leader was down");

            whileDown?.Invoke();
            if (bringBackUpBeforeFlush)
                Restore(cluster);
            Assert.Equal(0, producer.Flush(Poll.Timeout));
            Assert.Equal(Total, run.Delivered);
        }
        finally
        {
            Restore(cluster);
            cluster.StopRequestTracking();
        }
    }

    private static void Restore(KafkaDevCluster cluster)
    {
        cluster.SetBrokerRoundTrip(FailingBroker, TimeSpan.Zero);
        cluster.SetBrokerUp(FailingBroker);
    }

    private static void Produce(IProducer<string, string> producer, string topic, ProductionRun run, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            string id = "m-" + i.ToString("D5", CultureInfo.InvariantCulture);
            producer.Produce(new TopicPartition(topic, i % Partitions), new Message<string, string> { Key = id, Value = id }, run.OnDelivery);
        }
    }

    /// <summary>Every id read back, per partition in offset order, which must be production order.</summary>
    private List<string> ReadBack(string topic)
    {
        using var consumer = Poll.AssignAll<string, string>(fixture.BootstrapServers, topic, Partitions);
        var records = Poll.Consume(consumer, Total);
        foreach (var partition in records.GroupBy(r => r.Partition.Value))
        {
            var ids = partition.Select(r => r.Message.Value).Distinct(StringComparer.Ordinal).ToList();
            Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        }

        return records.Select(r => r.Message.Value).ToList();
    }

    private sealed class ProductionRun
    {
        private readonly int[] perPartition = new int[Partitions];
        private int delivered;

        public List<string> Errors { get; } = [];

        public int Delivered => Volatile.Read(ref delivered);

        public int DeliveredTo(int partition) => Volatile.Read(ref perPartition[partition]);

        public void OnDelivery(DeliveryReport<string, string> report)
        {
            if (report.Error.IsError)
            {
                lock (Errors)
                    Errors.Add($"{report.Message.Key}: {report.Error}");
                return;
            }

            Interlocked.Increment(ref perPartition[report.Partition.Value]);
            Interlocked.Increment(ref delivered);
        }

        public void NoteClientError(Error error)
        {
            // Transient connection errors are expected while a broker is down; a fatal one is not.
            if (error.IsFatal)
            {
                lock (Errors)
                    Errors.Add($"fatal: {error}");
            }
        }
    }
}
