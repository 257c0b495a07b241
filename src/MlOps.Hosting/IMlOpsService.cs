using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace MlOps.Hosting;

/// <summary>
/// One MlOps service (registry, monitoring, …): its options, services, bus consumers and endpoints. Hosts compose
/// services with <see cref="MlOpsHost.AddMlOps"/> and <see cref="MlOpsHost.MapMlOps"/>; the shared pieces (bus,
/// storage, auth, problem details, health) come from there, never from a service.
/// </summary>
public interface IMlOpsService
{
    /// <summary>A short, stable name ("registry", "monitoring"): in logs and in <c>mlops up --services</c>.</summary>
    string Name { get; }

    /// <summary>Options (validated on start), services and hosted services.</summary>
    void AddServices(IHostApplicationBuilder builder);

    /// <summary>The service's MassTransit consumers and sagas.</summary>
    void AddConsumers(IBusRegistrationConfigurator bus)
    {
    }

    /// <summary>The service's HTTP endpoints.</summary>
    void MapEndpoints(IEndpointRouteBuilder routes)
    {
    }
}
