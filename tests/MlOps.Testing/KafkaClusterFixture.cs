using MlOps.Kafka;
using Xunit;

namespace MlOps.Testing;

/// <summary>
/// One in-process Kafka-protocol cluster (librdkafka's mock cluster, three brokers) per test collection; each test
/// makes its own topics with a unique name. Declare the collection in the test project:
/// <c>[CollectionDefinition("kafka")] class KafkaCollection : ICollectionFixture&lt;KafkaClusterFixture&gt;;</c>
/// </summary>
public sealed class KafkaClusterFixture : IAsyncLifetime
{
    private KafkaDevCluster? _cluster;

    public KafkaDevCluster Cluster => _cluster ?? throw new InvalidOperationException("the cluster has not started");

    public string BootstrapServers => Cluster.BootstrapServers;

    /// <summary>A topic name no other test uses.</summary>
    public static string UniqueTopic(string purpose) => $"test.{purpose}.{Guid.NewGuid():N}";

    public Task InitializeAsync()
    {
        _cluster = KafkaDevCluster.Start(brokers: 3);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }
}
