namespace MlOps.Kafka.Tests;

/// <summary>One three-broker dev cluster for the collection; each test makes its own topics with a unique suffix.</summary>
public sealed class DevClusterFixture : IAsyncLifetime
{
    private KafkaDevCluster? cluster;

    public KafkaDevCluster Cluster => cluster ?? throw new InvalidOperationException("the cluster has not started");

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string purpose) => $"test.{purpose}.{Guid.NewGuid():N}";

    public Task InitializeAsync()
    {
        cluster = KafkaDevCluster.Start(brokers: 3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
            await cluster.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DevClusterCollection : ICollectionFixture<DevClusterFixture>
{
    public const string Name = "dev kafka cluster";
}
