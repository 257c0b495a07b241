using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MlOps.Registry.Apis;
using MlOps.Registry.Lifecycle;
using MlOps.Registry.Models;
using MlOps.Registry.Promotions;
using MlOps.Registry.Security;
using MlOps.Registry.Web;
using MlOps.Storage;
using MlOps.Storage.Registry;

namespace MlOps.Registry;

/// <summary>Composes the registry into a host: <c>builder.AddRegistry()</c>, then <c>app.UseMlOpsApi()</c> and <c>app.MapRegistry()</c>.</summary>
public static class RegistryExtensions
{
    /// <summary>Registers the registry's options, storage, security, services and background expiry.</summary>
    public static IHostApplicationBuilder AddRegistry(this IHostApplicationBuilder builder)
    {
        builder.AddMlOpsStorage();
        builder.AddMlOpsSecurity();
        builder.Services.AddOptions<RegistryOptions>().Bind(builder.Configuration.GetSection(RegistryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ModelStore>();
        builder.Services.AddSingleton<VersionStore>();
        builder.Services.AddSingleton<AliasStore>();
        builder.Services.AddSingleton<PromotionStore>();
        builder.Services.AddSingleton<AuditStore>();
        builder.Services.AddSingleton<ArtifactStore>();
        builder.Services.AddSingleton<ModelRegistry>();
        builder.Services.AddSingleton<PromotionService>();
        builder.Services.AddSingleton<LifecycleNotifier>();
        builder.Services.AddSingleton<ILifecycleEventPublisher, BusLifecyclePublisher>();
        if (!string.IsNullOrWhiteSpace(builder.Configuration[$"{RegistryOptions.Section}:{nameof(RegistryOptions.KafkaBootstrapServers)}"]))
            builder.Services.AddSingleton<ILifecycleEventPublisher, KafkaLifecyclePublisher>();
        builder.Services.AddHostedService<PromotionExpiryService>();
        builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, RegistryJsonContext.Default));
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddOpenApi("registry");
        return builder;
    }

    /// <summary>Adds the database (options <c>MlOps:Storage</c>) and applies its migrations at start-up.</summary>
    public static IHostApplicationBuilder AddMlOpsStorage(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(Database)))
            return builder;
        builder.Services.AddOptions<StorageOptions>().Bind(builder.Configuration.GetSection(StorageOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddHostedService<DatabaseMigrator>();
        return builder;
    }

    /// <summary>Error handling every MlOps HTTP host wants: problem+json for exceptions and bare status codes.</summary>
    public static WebApplication UseMlOpsApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }

    /// <summary>Maps the API (<c>/api/models</c>, <c>/api/promotions</c>, <c>/api/audit</c>, <c>/api/me</c>), the OpenAPI document and the web page at <c>/</c>.</summary>
    public static IEndpointRouteBuilder MapRegistry(this IEndpointRouteBuilder routes)
    {
        routes.MapModelsApi();
        routes.MapPromotionsApi();
        routes.MapAuditApi();
        routes.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        routes.MapRegistryWeb();
        return routes;
    }
}
