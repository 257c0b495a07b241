using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Tells the world that a champion moved. The registry calls every registered publisher after the change is
/// committed: the bus publisher here, and the Kafka publisher for <c>mlops.model-lifecycle</c> from the Kafka module.
/// </summary>
public interface ILifecycleEventPublisher
{
    /// <summary>Publishes a promotion.</summary>
    Task PublishAsync(ModelPromoted message, CancellationToken cancellationToken);

    /// <summary>Publishes a rollback.</summary>
    Task PublishAsync(ModelRolledBack message, CancellationToken cancellationToken);
}
