namespace MlOps.IntegrationTests;

/// <summary>
/// Tests that start several hosts, Kafka clusters and RabbitMQ consumers (or a Prometheus) at once: they run one after
/// another, and not beside the rest of this assembly, so that on a 2-core machine their start-up and consumer-group
/// joins are not starved by each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DistributedHostsCollection
{
    public const string Name = "Distributed hosts";
}
