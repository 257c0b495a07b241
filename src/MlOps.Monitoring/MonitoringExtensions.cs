using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using MlOps.Monitoring.Apis;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Hosting;
using MlOps.Registry;
using MlOps.Storage.Monitoring;
using Prometheus;

namespace MlOps.Monitoring;

/// <summary>Composes the streaming monitor into a host (after <c>AddRegistry</c>, whose models it reads in-process).</summary>
public static class MonitoringExtensions
{
    public static IHostApplicationBuilder AddMonitoring(this IHostApplicationBuilder builder)
    {
        builder.AddMlOpsStorage();
        builder.Services.AddOptions<MonitoringOptions>().Bind(builder.Configuration.GetSection(MonitoringOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<MonitorStateStore>();
        builder.Services.AddSingleton<MonitorTopology>();
        builder.Services.AddSingleton<IModelCatalog, RegistryModelCatalog>();
        builder.Services.AddSingleton<WindowEvaluator>();
        builder.Services.AddSingleton<MonitorWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MonitorWorker>());
        builder.Services.AddSingleton<WindowCloser>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WindowCloser>());
        return builder;
    }

    /// <summary>The monitor's bus consumers (reference switch on promotion/rollback): pass to <c>AddMlOpsBus</c>.</summary>
    public static void AddMonitoringConsumers(this MassTransit.IBusRegistrationConfigurator bus) => bus.AddConsumer<ChampionChangedConsumer>();

    /// <summary>Maps <c>/api/monitoring/{model}/windows</c> and the Prometheus endpoint <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapMonitoring(this IEndpointRouteBuilder routes)
    {
        routes.MapMonitoringApi();
        routes.MapMetrics("/metrics");
        return routes;
    }
}
