using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting;
using MlOps.Hosting.Bus;
using MlOps.Hosting.Health;
using MlOps.Hosting.Options;
using MlOps.Monitoring.Apis;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Hosting;
using MlOps.Monitoring.Ingest;
using MlOps.Monitoring.Results;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring;

/// <summary>
/// The streaming monitor: consumes <c>mlops.predictions</c> and <c>mlops.outcomes</c>, closes event-time windows
/// (watermarks per model and partition), evaluates them against the version's reference profile, else the
/// champion's (read from the registry API), stores the results, exports
/// Prometheus series at <c>/metrics</c> and serves <c>/api/monitoring/{model}/windows</c>. Options: <c>MlOps:Monitoring</c>.
/// </summary>
public sealed class MonitoringService : IMlOpsService
{
    /// <summary>The one instance the service list holds.</summary>
    public static MonitoringService Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "monitoring";

    /// <inheritdoc />
    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<MonitoringOptions>(MonitoringOptions.Section);
        builder.Services.AddSingleton<MonitorStateStore>();
        builder.Services.AddSingleton<MonitorTopology>();
        builder.Services.AddSingleton<Processing.GroupWatermarks>();
        builder.Services.AddSingleton<RegistryConnection>();
        builder.Services.AddSingleton<RegistryModelCatalog>();
        builder.Services.AddSingleton<IModelCatalog>(sp => sp.GetRequiredService<RegistryModelCatalog>());
        builder.Services.AddSingleton<WindowEvaluator>();
        builder.Services.AddSingleton<IWindowResultSink, PrometheusResultSink>();
        builder.Services.AddSingleton<WindowEvents>();
        builder.Services.AddSingleton<OutboxStore>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddHostedService<OutboxRelay>();
        builder.Services.AddSingleton<IngestProducer>();
        builder.Services.AddSingleton<MonitorWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<MonitorWorker>());
        builder.Services.AddHostedService<JoinStateReporter>();
        builder.Services.AddSingleton<WindowCloser>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WindowCloser>());
        builder.Services.AddHealthChecks()
            .AddCheck<MonitorHealthCheck>("kafka-consumer", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<CatalogHealthCheck>("model-catalog", tags: [HealthEndpoints.ReadyTag]);
    }

    /// <inheritdoc />
    public void AddConsumers(IBusRegistrationConfigurator bus) =>
        // Every monitor instance caches the catalog, so every instance must see each promotion.
        bus.AddBroadcastConsumer<CatalogInvalidationConsumer>();

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapMonitoringApi();
        Web.MonitoringWeb.Map(routes);
        routes.MapIngestApi();
    }
}
