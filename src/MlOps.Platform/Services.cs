using MlOps.Hosting;
using MlOps.Monitoring;
using MlOps.Notifications;
using MlOps.Orchestration;
using MlOps.Registry;
using MlOps.Training.Service;

namespace MlOps.Platform;

/// <summary>
/// The service list: every MlOps service, once. <c>mlops up</c> and the test platform compose all of them into one
/// process; each thin host under <c>src/hosts</c> composes one. Adding a service = one <see cref="IMlOpsService"/>
/// class in its library + one line here.
/// </summary>
public static class Services
{
    /// <summary>Models, versions, aliases, promotions, audit, web page.</summary>
    public static IMlOpsService Registry => RegistryService.Instance;

    /// <summary>The streaming monitor.</summary>
    public static IMlOpsService Monitoring => MonitoringService.Instance;

    /// <summary>The retraining saga (one per model), its deadline sweeper and /api/retraining.</summary>
    public static IMlOpsService Orchestration => OrchestrationService.Instance;

    /// <summary>The ML.NET trainer: trains challengers and assesses them against the champion.</summary>
    public static IMlOpsService Training => TrainingService.Instance;

    /// <summary>Alerts: signed webhooks with dedup, cool-down and retries; Alertmanager's webhook; /api/alerts.</summary>
    public static IMlOpsService Notifications => NotificationsService.Instance;

    /// <summary>All services, in the order they are composed.</summary>
    public static IReadOnlyList<IMlOpsService> All { get; } = [Registry, Monitoring, Orchestration, Training, Notifications];

    /// <summary>The service named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static IMlOpsService? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
