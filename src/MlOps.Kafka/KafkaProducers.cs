using Confluent.Kafka;

namespace MlOps.Kafka;

/// <summary>Producer settings MlOps relies on, in one place.</summary>
public static class KafkaProducers
{
    /// <summary>Idempotent, acknowledged by all in-sync replicas, LZ4-compressed, batched for throughput.</summary>
    /// <remarks>
    /// Idempotence makes librdkafka retry until delivered (or <c>message.timeout.ms</c>) without duplicates or
    /// reordering within a partition, across broker failures and leader changes.
    /// </remarks>
    public static ProducerConfig ReliableConfig(string bootstrapServers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        return new ProducerConfig
        {
            BootstrapServers = bootstrapServers,
            EnableIdempotence = true,
            Acks = Acks.All,
            CompressionType = CompressionType.Lz4,
            // Java's partitioner (murmur2), so a prediction and its outcome land on the same partition number
            // whichever client (Java, Kafka Streams, librdkafka) produced them.
            Partitioner = Partitioner.Murmur2Random,
            LingerMs = 5,
            BatchSize = 1024 * 1024,
        };
    }

    /// <summary>
    /// Builds a producer with <see cref="ReliableConfig"/>; <paramref name="configure"/> may adjust the settings
    /// (client id, timeouts) and <paramref name="customize"/> the builder (serializers, error and log handlers).
    /// </summary>
    public static IProducer<TKey, TValue> CreateReliable<TKey, TValue>(
        string bootstrapServers,
        Action<ProducerConfig>? configure = null,
        Action<ProducerBuilder<TKey, TValue>>? customize = null)
    {
        var config = ReliableConfig(bootstrapServers);
        configure?.Invoke(config);
        KafkaNativeLibrary.EnsureLoaded();
        var builder = new ProducerBuilder<TKey, TValue>(config);
        customize?.Invoke(builder);
        return builder.Build();
    }
}
