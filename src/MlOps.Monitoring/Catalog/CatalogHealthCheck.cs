using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlOps.Monitoring.Catalog;

/// <summary>
/// Ready once the model catalog was read from the registry; degraded (still ready: cached models keep being
/// monitored) while later refreshes fail.
/// </summary>
internal sealed class CatalogHealthCheck(RegistryModelCatalog catalog) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (loadedAt, error) = catalog.Status;
        return Task.FromResult((loadedAt, error) switch
        {
            (null, null) => HealthCheckResult.Unhealthy("the model catalog has not been read from the registry yet"),
            (null, { } e) => HealthCheckResult.Unhealthy($"the registry cannot be read: {e}"),
            ({ } at, { } e) => HealthCheckResult.Degraded($"last read at {at:u}; the latest refresh failed: {e}"),
            ({ } at, null) => HealthCheckResult.Healthy($"read at {at:u}"),
        });
    }
}
