using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting;
using MlOps.Hosting.Options;

namespace MlOps.Training.Service;

/// <summary>
/// The trainer: consumes <c>TrainModel</c> (trains and registers a challenger) and <c>EvaluateChallenger</c>
/// (challenger vs champion on the same data). One request at a time per instance: training uses every core.
/// Options: <c>MlOps:Training</c>.
/// </summary>
public sealed class TrainingService : IMlOpsService
{
    /// <summary>The one instance the service list holds.</summary>
    public static TrainingService Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "training";

    /// <inheritdoc />
    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<TrainingOptions>(TrainingOptions.Section);
        builder.Services.AddSingleton<TrainingGateway>();
    }

    /// <inheritdoc />
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
        // No consumer retry: a failure becomes a Fault<T>, and the saga retries with its own durable back-off.
        bus.AddConsumer<TrainModelConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
        bus.AddConsumer<EvaluateChallengerConsumer>().Endpoint(e => e.ConcurrentMessageLimit = 1);
    }
}
