using MlOps.Kafka;

namespace MlOps.Monitoring.Tests;

/// <summary>One in-process Kafka-protocol cluster (librdkafka's mock cluster, 3 brokers) for the end-to-end tests.</summary>
public sealed class KafkaCluster : IDisposable
{
    public KafkaDevCluster Cluster { get; } = KafkaDevCluster.Start(brokers: 3);

    public void Dispose() => Cluster.Dispose();
}

[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaCluster>
{
    public const string Name = "kafka";
}
