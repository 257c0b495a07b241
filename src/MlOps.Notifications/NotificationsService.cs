using MassTransit;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting;
using MlOps.Hosting.Options;
using MlOps.Notifications.Apis;
using MlOps.Notifications.Delivery;
using MlOps.Storage.Alerts;

namespace MlOps.Notifications;

/// <summary>
/// Platform notifications: alerts from the bus (drift, degraded metrics, data quality, failed retraining, promotion
/// requests) and from Alertmanager, with dedup and a cool-down, sent to signed webhooks with retries, printed to the
/// console in embedded mode, and listed at <c>/api/alerts</c>. Options: <c>MlOps:Alerts</c>.
/// </summary>
public sealed class NotificationsService : IMlOpsService
{
    /// <summary>The one instance the service list holds.</summary>
    public static NotificationsService Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "notifications";

    /// <inheritdoc />
    public void AddServices(IHostApplicationBuilder builder)
    {
        builder.AddValidatedOptions<AlertsOptions>(AlertsOptions.Section);
        builder.Services.AddHttpClient(WebhookDispatcher.HttpClientName);
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<DispatchSignal>();
        builder.Services.AddSingleton<AlertRecorder>();
        builder.Services.AddSingleton<WebhookDispatcher>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WebhookDispatcher>());
    }

    /// <inheritdoc />
    public void AddConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConsumer<AlertConsumers>(c => c.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200))));

    /// <inheritdoc />
    public void MapEndpoints(IEndpointRouteBuilder routes) => routes.MapAlertsApi();
}
