using Confluent.Kafka;
using MlOps.Kafka;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Kafka failing under a running monitor, on the in-process cluster's fault injection (librdkafka's mock API): a broker
/// that leads partitions and coordinates the group going down mid-stream, partition leadership moving while records
/// flow, and Produce, Fetch and OffsetCommit requests answered with errors. Each ends with
/// <see cref="FaultVerdict.AssertExactAsync"/>. See <see cref="FaultSuite"/> for the whole suite.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class KafkaFaultTests
{
    [Fact]
    public async Task A_broker_leading_partitions_and_coordinating_the_group_going_down_mid_stream_loses_doubles_and_repeats_nothing()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream());
        const int failing = 2;
        rig.Cluster.SetGroupCoordinator(rig.Group, failing);
        var host = await rig.StartMonitorAsync();
        await rig.RegisterAsync(host);
        using var producer = rig.Producer();
        int half = rig.Stream.Length / 2;
        rig.Produce(producer, 0, half);
        await rig.WaitCheckpointedAsync(Enumerable.Range(0, rig.Partitions), "the first half is checkpointed");

        rig.Cluster.SetBrokerDown(failing);
        try
        {
            // The second half: the partitions of the healthy brokers take theirs, broker 2's wait in the producer.
            rig.Produce(producer, half, rig.Stream.Length, flush: false);
            // Kafka elects a new coordinator for the group (the new leader of its __consumer_offsets partition); the
            // mock does not, so the test does it. Without one a consumer gives its partitions up after the session
            // timeout, as every Kafka consumer does.
            rig.Cluster.SetGroupCoordinator(rig.Group, 3);
            var healthy = Enumerable.Range(0, rig.Partitions).Where(p => p % 3 + 1 != failing).ToList();
            await rig.WaitCheckpointedAsync(healthy, "the monitor checkpoints the partitions of the healthy brokers while broker 2 is down");
            await Task.Delay(FaultScale.Outage);
        }
        finally
        {
            rig.Cluster.SetBrokerUp(failing);
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        rig.Stream.Seal(producer, rig.Group, rig.Partitions);
        await rig.Verdict.AssertExactAsync(host);
    }

    [Fact]
    public async Task Partition_leaders_moving_between_brokers_while_records_flow_lose_double_and_repeat_nothing()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream());
        var host = await rig.StartMonitorAsync();
        await rig.RegisterAsync(host);
        using var producer = rig.Producer();
        const int moves = 6;
        int chunk = rig.Stream.Length / moves;
        for (int k = 1; k <= moves; k++)
        {
            // Not flushed: the producer and the monitor meet each move with requests in flight.
            rig.Produce(producer, (k - 1) * chunk, k == moves ? rig.Stream.Length : k * chunk, flush: false);
            int shift = k;
            rig.MoveLeaders(p => (p + shift) % 3 + 1);
            await Eventually.HoldsAsync(async () => (await rig.StoredOffsetsAsync()).Values.Sum() > 0, "the monitor reads");
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        rig.Stream.Seal(producer, rig.Group, rig.Partitions);
        await rig.Verdict.AssertExactAsync(host);
    }

    [Fact]
    public async Task Produce_fetch_and_offset_commit_requests_answered_with_errors_lose_double_and_repeat_nothing()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream());
        var host = await rig.StartMonitorAsync();
        await rig.RegisterAsync(host);
        using var producer = rig.Producer();
        var cluster = rig.Cluster;
        int quarter = rig.Stream.Length / 4;
        rig.Produce(producer, 0, quarter);
        cluster.StartRequestTracking();
        try
        {
            // Each batch of errors answers the next requests of its type, whoever sends them: the producer here and the
            // monitor's dead-letter producer (Produce), the monitor's consumer (Fetch, OffsetCommit).
            await InjectAsync(cluster, KafkaApiKey.Produce, () => rig.Produce(producer, quarter, 2 * quarter, flush: false),
                ErrorCode.NotEnoughReplicas, ErrorCode.NotLeaderForPartition, ErrorCode.RequestTimedOut, ErrorCode.Local_Transport, ErrorCode.NotEnoughReplicasAfterAppend, ErrorCode.LeaderNotAvailable);
            await InjectAsync(cluster, KafkaApiKey.Fetch, () => rig.Produce(producer, 2 * quarter, 3 * quarter, flush: false),
                ErrorCode.NotLeaderForPartition, ErrorCode.Local_Transport, ErrorCode.LeaderNotAvailable, ErrorCode.RequestTimedOut, ErrorCode.Local_Transport, ErrorCode.NotLeaderForPartition);
            // A commit refused because the group is rebalancing or the member is stale makes the consumer rejoin.
            await InjectAsync(cluster, KafkaApiKey.OffsetCommit, () => rig.Produce(producer, 3 * quarter, rig.Stream.Length, flush: false),
                ErrorCode.GroupCoordinatorNotAvailable, ErrorCode.NotCoordinatorForGroup, ErrorCode.RequestTimedOut, ErrorCode.Local_Transport, ErrorCode.RebalanceInProgress, ErrorCode.IllegalGeneration);
        }
        finally
        {
            foreach (var api in new[] { KafkaApiKey.Produce, KafkaApiKey.Fetch, KafkaApiKey.OffsetCommit })
                cluster.ClearRequestErrors(api);
            cluster.StopRequestTracking();
        }

        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));
        rig.Stream.Seal(producer, rig.Group, rig.Partitions);
        await rig.Verdict.AssertExactAsync(host);
    }

    /// <summary>
    /// Queues <paramref name="errors"/> for the next requests of <paramref name="api"/>, runs the traffic, and waits
    /// until that many such requests arrived — so every injected error was answered to someone.
    /// </summary>
    private static async Task InjectAsync(KafkaDevCluster cluster, KafkaApiKey api, Action traffic, params ErrorCode[] errors)
    {
        int before = cluster.CountRequests(api);
        cluster.PushRequestErrors(api, errors);
        traffic();
        await Eventually.HoldsAsync(() => Task.FromResult(cluster.CountRequests(api) - before >= errors.Length), $"{errors.Length} {api} requests meet the injected errors",
            () => $"{cluster.CountRequests(api) - before} {api} requests so far", FaultScale.Recovery);
    }
}
