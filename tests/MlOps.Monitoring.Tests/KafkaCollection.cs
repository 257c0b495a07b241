namespace MlOps.Monitoring.Tests;

/// <summary>One in-process Kafka-protocol cluster for the end-to-end tests (see <see cref="KafkaClusterFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class KafkaCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "kafka";
}
