using Confluent.Kafka;

namespace MlOps.Kafka;

/// <summary>Consumer settings MlOps relies on, in one place.</summary>
public static class KafkaConsumers
{
    /// <summary>librdkafka's prefetch queue per partition: large, so a fast loop never waits on a fetch round trip.</summary>
    public const int QueuedMinMessages = 500_000;

    /// <summary>Bytes fetched per partition and request.</summary>
    public const int MaxPartitionFetchBytes = 4 * 1024 * 1024;

    /// <summary>
    /// Fetch tuned for throughput (the defaults read ~5× slower on the dev cluster), offsets committed only by the
    /// application after it has checkpointed what they cover, the range assignor so that co-partitioned topics
    /// (predictions, outcomes) give one consumer the same partition numbers of both, reading from the earliest
    /// offset when the group has none.
    /// </summary>
    public static ConsumerConfig TunedConfig(string bootstrapServers, string groupId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentException.ThrowIfNullOrWhiteSpace(groupId);
        return new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = groupId,
            QueuedMinMessages = QueuedMinMessages,
            MaxPartitionFetchBytes = MaxPartitionFetchBytes,
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
            PartitionAssignmentStrategy = PartitionAssignmentStrategy.Range,
        };
    }

    /// <summary>
    /// Builds a consumer with <see cref="TunedConfig"/>; <paramref name="configure"/> may adjust the settings and
    /// <paramref name="customize"/> the builder (deserializers, partitions assigned/revoked handlers).
    /// </summary>
    public static IConsumer<TKey, TValue> CreateTuned<TKey, TValue>(
        string bootstrapServers,
        string groupId,
        Action<ConsumerConfig>? configure = null,
        Action<ConsumerBuilder<TKey, TValue>>? customize = null)
    {
        var config = TunedConfig(bootstrapServers, groupId);
        configure?.Invoke(config);
        KafkaNativeLibrary.EnsureLoaded();
        var builder = new ConsumerBuilder<TKey, TValue>(config);
        customize?.Invoke(builder);
        return builder.Build();
    }
}
