using MassTransit;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Publishes lifecycle events on the MassTransit bus (in-memory when embedded, RabbitMQ when distributed); a
/// singleton, so through <see cref="IBus"/>. Through <see cref="LifecycleRedelivery"/>: a publish waits at most
/// <c>MlOps:Bus:PublishTimeout</c>, and one the broker did not take is published again in the background.
/// </summary>
internal sealed class BusLifecyclePublisher(IBus bus, LifecycleRedelivery redelivery) : ILifecycleEventPublisher
{
    public Task PublishAsync(ModelPromoted message, CancellationToken cancellationToken) => Publish(message, message.Model);

    public Task PublishAsync(ModelRolledBack message, CancellationToken cancellationToken) => Publish(message, message.Model);

    public Task PublishAsync(ModelRegistered message, CancellationToken cancellationToken) => Publish(message, message.Model);

    public Task PublishAsync(ModelVersionRegistered message, CancellationToken cancellationToken) => Publish(message, message.Model);

    public Task PublishAsync(PromotionRequested message, CancellationToken cancellationToken) => Publish(message, message.Model);

    public Task PublishAsync(PromotionDecided message, CancellationToken cancellationToken) => Publish(message, message.Model);

    // Not cancelled with the request: the change is committed, so its event goes out (or is kept) even if the caller left.
    private Task Publish<T>(T message, string model) where T : class =>
        redelivery.PublishAsync(typeof(T).Name, model, (id, token) => bus.Publish(message, c => c.MessageId = id, token));
}
