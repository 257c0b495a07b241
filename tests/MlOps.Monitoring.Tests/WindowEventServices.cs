using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Contracts.Monitoring;
using MlOps.Hosting;
using MlOps.Monitoring.Results;

namespace MlOps.Monitoring.Tests;

/// <summary>A test-only service in the host's list: records every <see cref="DriftDetected"/> the bus delivers, with its message id.</summary>
internal sealed class DriftRecorderService : IMlOpsService
{
    public ConcurrentQueue<(Guid? MessageId, DriftDetected Message)> Received { get; } = new();

    public string Name => "drift-recorder";

    public void AddServices(IHostApplicationBuilder builder) => builder.Services.AddSingleton(this);

    public void AddConsumers(IBusRegistrationConfigurator bus) => bus.AddConsumer<DriftRecorder>();

    private sealed class DriftRecorder(DriftRecorderService service) : IConsumer<DriftDetected>
    {
        public Task Consume(ConsumeContext<DriftDetected> context)
        {
            service.Received.Enqueue((context.MessageId, context.Message));
            return Task.CompletedTask;
        }
    }
}

/// <summary>
/// A test-only service that takes the outbox relay out of the host: windows are stored with their events in the
/// outbox and nothing is published — the state a crash between the commit and the publish leaves behind.
/// </summary>
internal sealed class NoOutboxRelayService : IMlOpsService
{
    public string Name => "no-outbox-relay";

    public void AddServices(IHostApplicationBuilder builder) =>
        builder.Services.Remove(builder.Services.Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(OutboxRelay)));
}
