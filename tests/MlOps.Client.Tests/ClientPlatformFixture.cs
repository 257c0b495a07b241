using MlOps.Client.Logging;
using MlOps.Contracts;
using MlOps.Kafka;

namespace MlOps.Client.Tests;

/// <summary>
/// One in-process Kafka-protocol cluster (three brokers, so brokers can be taken down) and one real registry publishing to
/// its lifecycle topic, shared by the collection. Each test makes its own topics and models, so tests never see each
/// other's events; the collection runs serially because some tests take the brokers down.
/// </summary>
public sealed class ClientPlatformFixture : IAsyncLifetime
{
    public const int Partitions = 3;

    private KafkaDevCluster? _cluster;
    private TestPlatform? _registry;

    public KafkaDevCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public TestPlatform Registry => _registry ?? throw new InvalidOperationException("not started");

    public string BootstrapServers => Cluster.BootstrapServers;

    public async Task InitializeAsync()
    {
        _cluster = KafkaDevCluster.Start(brokers: 3);
        _cluster.CreateTopic(Topics.ModelLifecycle, 1);
        _registry = await TestPlatform.StartAsync(services: [MlOps.Platform.Services.Registry], bootstrapServers: _cluster.BootstrapServers);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
        if (_cluster is not null)
            await _cluster.DisposeAsync();
    }

    /// <summary>A predictions and an outcomes topic of their own, co-partitioned.</summary>
    public (string Predictions, string Outcomes) NewTopics()
    {
        string id = Guid.NewGuid().ToString("N");
        var topics = ($"test.predictions.{id}", $"test.outcomes.{id}");
        Cluster.CreateTopic(topics.Item1, Partitions);
        Cluster.CreateTopic(topics.Item2, Partitions);
        return topics;
    }

    /// <summary>Logger options for <paramref name="topics"/>, validating against the registry as the viewer.</summary>
    public MlOpsLoggerOptions LoggerOptions((string Predictions, string Outcomes) topics, bool withRegistry = true)
    {
        var options = new MlOpsLoggerOptions
        {
            BootstrapServers = BootstrapServers,
            PredictionsTopic = topics.Predictions,
            OutcomesTopic = topics.Outcomes,
            RegistryUrl = withRegistry ? Registry.Url : null,
            ApiKey = withRegistry ? Registry.Platform.Keys["viewer"] : null,
            FlushTimeout = TimeSpan.FromSeconds(30),
        };
        // Reconnect quickly once a broker is back up (the default backs off up to 10 s).
        options.ProducerConfig["reconnect.backoff.max.ms"] = "500";
        return options;
    }

    public void SetAllBrokers(bool up)
    {
        for (int broker = 1; broker <= Cluster.BrokerCount; broker++)
        {
            if (up)
                Cluster.SetBrokerUp(broker);
            else
                Cluster.SetBrokerDown(broker);
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ClientPlatformCollection : ICollectionFixture<ClientPlatformFixture>
{
    public const string Name = "client-platform";
}
