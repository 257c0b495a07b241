using MassTransit;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Lifecycle;

/// <summary>Publishes lifecycle events on the MassTransit bus (in-memory when embedded, RabbitMQ when distributed); a singleton, so through <see cref="IBus"/>.</summary>
internal sealed class BusLifecyclePublisher(IBus bus) : ILifecycleEventPublisher
{
    public Task PublishAsync(ModelPromoted message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task PublishAsync(ModelRolledBack message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task PublishAsync(ModelRegistered message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task PublishAsync(ModelVersionRegistered message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task PublishAsync(PromotionRequested message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);

    public Task PublishAsync(PromotionDecided message, CancellationToken cancellationToken) => bus.Publish(message, cancellationToken);
}
