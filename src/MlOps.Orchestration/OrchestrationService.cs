using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MlOps.Hosting;
using MlOps.Hosting.Bus;
using MlOps.Hosting.Options;
using MlOps.Orchestration.Apis;
using MlOps.Orchestration.Persistence;
using MlOps.Orchestration.Saga;
using MlOps.Storage.Retraining;

namespace MlOps.Orchestration;

/// <summary>
/// The retraining orchestrator: one MassTransit saga per model (<see cref="RetrainingStateMachine"/>) on a Dapper
/// repository (SQLite or PostgreSQL, optimistic concurrency), the deadline sweeper, and <c>/api/retraining</c>.
/// Options: <c>MlOps:Orchestration</c>.
/// </summary>
public sealed class OrchestrationService : IMlOpsService
{
    /// <summary>The one instance the service list holds.</summary>
    public static OrchestrationService Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "orchestration";

    /// <summary>Retries of a saga message (version conflicts, an unreachable registry) before it faults.</summary>
    internal const int SagaRetryLimit = 10;

    /// <inheritdoc />
    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<OrchestrationOptions>(OrchestrationOptions.Section);
        builder.Services.AddSingleton<RetrainingStore>();
        builder.Services.AddSingleton<ISagaStore<RetrainingState>, RetrainingSagaStore>();
        builder.Services.AddSingleton<HttpRetrainingGateway>();
        builder.Services.AddSingleton<IRetrainingGateway>(sp => sp.GetRequiredService<HttpRetrainingGateway>());
        builder.Services.AddSingleton<DeadlineSweeper>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
    }

    /// <inheritdoc />
    public void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddSagaStateMachine<RetrainingStateMachine, RetrainingState>((context, saga) =>
            {
                // One message at a time in this process: a monitor catching up closes many windows of one model at
                // once, and their triggers, racing for the model's saga row, logged a version conflict each and could
                // run out of retries. (The saga handles a few messages per window and model: one at a time is plenty.)
                saga.ConcurrentMessageLimit = 1;
                // A version conflict (two instances, a message each for one model at once) reloads and tries again;
                // publishes wait in the in-memory outbox until the saga row is written, so a retried message sends
                // nothing twice.
                saga.UseMessageRetry(r => r.Exponential(SagaRetryLimit, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(50)));
                // A publish whose confirm never comes (the broker restarted under it) ends the attempt, which is
                // retried; otherwise the delivery never ends and the saga's endpoint never restarts.
                saga.UsePublishTimeout(context.GetRequiredService<IOptions<BusOptions>>().Value);
                saga.UseInMemoryOutbox(context);
            })
            .DapperRepository();

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapRetrainingApi();
}
