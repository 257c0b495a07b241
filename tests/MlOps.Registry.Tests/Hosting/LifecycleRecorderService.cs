using MassTransit;
using MlOps.Hosting;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>A test-only service in the host's service list: its one consumer records the registry's lifecycle events.</summary>
public sealed class LifecycleRecorderService : IMlOpsService
{
    public string Name => "lifecycle-recorder";

    public void AddServices(Microsoft.Extensions.Hosting.IHostApplicationBuilder builder)
    {
    }

    public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<LifecycleEventRecorder>();
}
