using Microsoft.Extensions.Logging;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Calls every <see cref="ILifecycleEventPublisher"/> after a committed change. A publisher that fails is logged and
/// does not undo the change: the alias history and audit log stay the source of truth.
/// </summary>
public sealed partial class LifecycleNotifier(IEnumerable<ILifecycleEventPublisher> publishers, ILogger<LifecycleNotifier> logger)
{
    public Task NotifyAsync(ModelPromoted message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(ModelPromoted), message.Model, message.Version);

    public Task NotifyAsync(ModelRolledBack message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(ModelRolledBack), message.Model, message.Version);

    public Task NotifyAsync(ModelRegistered message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(ModelRegistered), message.Model, "-");

    public Task NotifyAsync(ModelVersionRegistered message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(ModelVersionRegistered), message.Model, message.Version);

    public Task NotifyAsync(PromotionRequested message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(PromotionRequested), message.Model, message.Version);

    public Task NotifyAsync(PromotionDecided message, CancellationToken cancellationToken) =>
        Each(p => p.PublishAsync(message, cancellationToken), nameof(PromotionDecided), message.Model, message.Version);

    private async Task Each(Func<ILifecycleEventPublisher, Task> publish, string eventName, string model, string version)
    {
        foreach (var publisher in publishers)
        {
            try
            {
                await publish(publisher);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogPublishFailed(e, eventName, model, version, publisher.GetType().Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Publishing {Event} for {Model} version {Version} through {Publisher} failed")]
    private partial void LogPublishFailed(Exception exception, string @event, string model, string version, string publisher);
}
