namespace MlOps.Kafka.Tests;

/// <summary>One three-broker dev cluster for the collection (see <see cref="KafkaClusterFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class DevClusterCollection : ICollectionFixture<KafkaClusterFixture>
{
    public const string Name = "dev kafka cluster";
}
