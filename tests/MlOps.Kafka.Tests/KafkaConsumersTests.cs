using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

[Collection(DevClusterCollection.Name)]
public sealed class KafkaConsumersTests(KafkaClusterFixture fixture)
{
    [Fact]
    public void The_tuned_consumer_prefetches_deeply_and_leaves_every_offset_to_the_application()
    {
        var config = KafkaConsumers.TunedConfig("127.0.0.1:9092", "monitor");
        Assert.Equal(500_000, config.QueuedMinMessages);
        Assert.Equal(4 * 1024 * 1024, config.MaxPartitionFetchBytes);
        Assert.False(config.EnableAutoCommit);
        Assert.False(config.EnableAutoOffsetStore);
    }

    [Fact]
    public async Task Tuned_consumers_in_one_group_each_get_the_same_partition_numbers_of_co_partitioned_topics()
    {
        // Three partitions: with an even count a round-robin assignment could line up by chance.
        string predictions = KafkaClusterFixture.UniqueTopic("predictions");
        string outcomes = KafkaClusterFixture.UniqueTopic("outcomes");
        fixture.Cluster.CreateTopic(predictions, 3);
        fixture.Cluster.CreateTopic(outcomes, 3);
        string group = $"monitor-{Guid.NewGuid():N}";
        using var first = CreateMember(group);
        using var second = CreateMember(group);
        first.Subscribe([predictions, outcomes]);
        second.Subscribe([predictions, outcomes]);

        // Both members must keep polling for the group to rebalance.
        await Eventually.HoldsAsync(
            () =>
            {
                first.Consume(TimeSpan.FromMilliseconds(50));
                second.Consume(TimeSpan.FromMilliseconds(50));
                return first.Assignment.Count > 0 && second.Assignment.Count > 0 && first.Assignment.Count + second.Assignment.Count == 6;
            },
            "the group to split six partitions between two members");

        foreach (var member in new[] { first, second })
        {
            var numbers = member.Assignment.GroupBy(tp => tp.Topic).ToDictionary(g => g.Key, g => g.Select(tp => tp.Partition.Value).Order().ToArray());
            Assert.Equal(numbers.GetValueOrDefault(predictions, []), numbers.GetValueOrDefault(outcomes, []));
        }

        first.Close();
        second.Close();
    }

    /// <summary>
    /// The dev cluster waits session.timeout.ms − 1 s for members to rejoin when a group's membership changes (44 s
    /// with the default 45 s), so a short session keeps the test short.
    /// </summary>
    private IConsumer<string, string> CreateMember(string group) =>
        KafkaConsumers.CreateTuned<string, string>(
            fixture.BootstrapServers,
            group,
            configure: c =>
            {
                c.SessionTimeoutMs = 3000;
                c.HeartbeatIntervalMs = 500;
            },
            customize: b => b.SetLogHandler((_, _) => { }));
}
