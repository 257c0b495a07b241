using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Tells the world that a champion moved, or that a model or version was registered. The registry calls every registered publisher after the change is
/// committed: the bus publisher here, and the Kafka publisher for <c>mlops.model-lifecycle</c> from the Kafka module.
/// </summary>
public interface ILifecycleEventPublisher
{
    /// <summary>Publishes a promotion.</summary>
    Task PublishAsync(ModelPromoted message, CancellationToken cancellationToken);

    /// <summary>Publishes a rollback.</summary>
    Task PublishAsync(ModelRolledBack message, CancellationToken cancellationToken);

    /// <summary>Publishes a new model (the bus carries it; the lifecycle topic is for champion moves only).</summary>
    Task PublishAsync(ModelRegistered message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Publishes a new version (bus only, like <see cref="ModelRegistered"/>).</summary>
    Task PublishAsync(ModelVersionRegistered message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Publishes a new promotion request (bus only: the retraining saga and notifications wait for it).</summary>
    Task PublishAsync(PromotionRequested message, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Publishes the end of a promotion request (bus only).</summary>
    Task PublishAsync(PromotionDecided message, CancellationToken cancellationToken) => Task.CompletedTask;
}
