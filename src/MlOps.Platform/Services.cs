using MlOps.Hosting;
using MlOps.Monitoring;
using MlOps.Registry;

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

    /// <summary>All services, in the order they are composed.</summary>
    public static IReadOnlyList<IMlOpsService> All { get; } = [Registry, Monitoring];

    /// <summary>The service named <paramref name="name"/> (case-insensitive), or null.</summary>
    public static IMlOpsService? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
