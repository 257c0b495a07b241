using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Contracts.Registry;
using MlOps.Hosting;
using MlOps.Hosting.Options;
using MlOps.Registry.Apis;
using MlOps.Registry.Lifecycle;
using MlOps.Registry.Models;
using MlOps.Registry.Promotions;
using MlOps.Registry.Web;
using MlOps.Storage.Registry;

namespace MlOps.Registry;

/// <summary>
/// The model registry: models, versions, artifacts, aliases, promotions with approvals, the audit log, the web page
/// (<c>/</c>) and the API (<c>/api/models</c>, <c>/api/promotions</c>, <c>/api/audit</c>, <c>/api/me</c>, OpenAPI at
/// <c>/openapi/registry.json</c>). Options: <c>MlOps:Registry</c>.
/// </summary>
public sealed class RegistryService : IMlOpsService
{
    /// <summary>The one instance the service list holds.</summary>
    public static RegistryService Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "registry";

    /// <inheritdoc />
    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<RegistryOptions>(RegistryOptions.Section);
        builder.Services.AddSingleton<ModelStore>();
        builder.Services.AddSingleton<VersionStore>();
        builder.Services.AddSingleton<AliasStore>();
        builder.Services.AddSingleton<PromotionStore>();
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<ArtifactStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<BaseDatasetStore>();
        builder.Services.AddSingleton<BaseDatasets>();
        builder.Services.AddSingleton<PromotionService>();
        builder.Services.AddSingleton<LifecycleNotifier>();
        builder.Services.AddSingleton<LifecycleRedelivery>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LifecycleRedelivery>());
        builder.Services.AddSingleton<ILifecycleEventPublisher, BusLifecyclePublisher>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{RegistryOptions.Section}:{nameof(RegistryOptions.KafkaBootstrapServers)}"]))
            builder.Services.AddSingleton<ILifecycleEventPublisher, KafkaLifecyclePublisher>();
        builder.Services.AddHostedService<PromotionExpiryService>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RegistryJsonContext.Default));
        builder.Services.AddOpenApi("registry");
    }

    /// <inheritdoc />
    public void AddConsumers(IBusRegistrationConfigurator bus)
    {
    }

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder routes)
    {
        routes.MapModelsApi();
        routes.MapPromotionsApi();
        routes.MapAuditApi();
        // The one document by name: any other name is a plain 404 problem, not OpenAPI's text page quoting the name back.
        routes.MapOpenApi("/openapi/{documentName:regex(^registry$)}.json").AllowAnonymous();
        routes.MapRegistryWeb();
    }
}
