using MassTransit;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>A MassTransit consumer on the registry's own bus: it records the lifecycle events the registry publishes.</summary>
public sealed class LifecycleEventRecorder(ReceivedLifecycleEvents received) : IConsumer<ModelPromoted>, IConsumer<ModelRolledBack>
{
    public Task Consume(ConsumeContext<ModelPromoted> context)
    {
        received.Promoted.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ModelRolledBack> context)
    {
        received.RolledBack.Enqueue(context.Message);
        return Task.CompletedTask;
    }
}
