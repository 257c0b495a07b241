using System.Diagnostics;
using MlOps.Contracts;

namespace MlOps.Kafka.Tests;

[Collection(DevClusterCollection.Name)]
public sealed class KafkaTopicsTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task Existing_co_partitioned_topics_are_accepted_as_they_are_every_time()
    {
        string predictions = KafkaClusterFixture.UniqueTopic("predictions");
        string outcomes = KafkaClusterFixture.UniqueTopic("outcomes");
        fixture.Cluster.CreateTopic(predictions, 4);
        fixture.Cluster.CreateTopic(outcomes, 4);
        // Asked for more partitions than exist: an existing topic is used as it is, never altered.
        TopicSpec[] topics = [new(predictions, 8), new(outcomes, 8)];

        for (int run = 0; run < 2; run++)
        {
            var counts = await KafkaTopics.EnsureAsync(fixture.BootstrapServers, topics, [(predictions, outcomes)]);
            Assert.Equal(4, counts[predictions]);
            Assert.Equal(4, counts[outcomes]);
        }
    }

    [Fact]
    public async Task Existing_predictions_and_outcomes_with_different_partition_counts_are_refused_with_the_fix()
    {
        string predictions = KafkaClusterFixture.UniqueTopic("predictions");
        string outcomes = KafkaClusterFixture.UniqueTopic("outcomes");
        fixture.Cluster.CreateTopic(predictions, 6);
        fixture.Cluster.CreateTopic(outcomes, 4);

        var e = await Assert.ThrowsAsync<TopicSetupException>(() =>
            KafkaTopics.EnsureAsync(fixture.BootstrapServers, [new(predictions, 6), new(outcomes, 6)], [(predictions, outcomes)]));
        Assert.Contains(predictions, e.Message, StringComparison.Ordinal);
        Assert.Contains(outcomes, e.Message, StringComparison.Ordinal);
        Assert.Contains("6 and 4", e.Message, StringComparison.Ordinal);
        Assert.Contains("Give both 6 partitions", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_for_predictions_and_outcomes_with_different_partition_counts_is_refused_before_connecting()
    {
        var clock = Stopwatch.StartNew();
        // Nothing listens on port 9: reaching the cluster would take the metadata timeout.
        var e = await Assert.ThrowsAsync<TopicSetupException>(() =>
            KafkaTopics.EnsureAsync("127.0.0.1:9", [new(Topics.Predictions, 6), new(Topics.Outcomes, 3)]));
        Assert.Contains("asked for 6 and 3", e.Message, StringComparison.Ordinal);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_missing_topic_on_the_dev_cluster_cannot_be_created_and_the_message_says_how_to_create_it()
    {
        string missing = KafkaClusterFixture.UniqueTopic("missing");

        var e = await Assert.ThrowsAsync<TopicSetupException>(() => KafkaTopics.EnsureAsync(fixture.BootstrapServers, [new(missing, 2)]));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Contains("KafkaDevCluster.CreateTopic", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_co_partition_predictions_and_outcomes_and_keep_the_lifecycle_in_order()
    {
        var topics = KafkaTopics.Defaults(6).ToDictionary(t => t.Name, t => t.Partitions);
        Assert.Equal(
            new Dictionary<string, int> { [Topics.Predictions] = 6, [Topics.Outcomes] = 6, [Topics.DeadLetter] = 6, [Topics.ModelLifecycle] = 1 },
            topics);
    }
}
