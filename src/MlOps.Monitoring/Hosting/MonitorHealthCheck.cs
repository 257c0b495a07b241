using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlOps.Monitoring.Hosting;

/// <summary>
/// Ready once the consumer has joined its group and received an assignment (possibly empty: more instances than
/// partitions); not ready, with a short reason, while it waits to start again after a failure.
/// </summary>
internal sealed class MonitorHealthCheck(MonitorWorker worker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(worker.State switch
        {
            { Failure: { } failure } => HealthCheckResult.Unhealthy(failure),
            { Assigned: true } => HealthCheckResult.Healthy($"partitions assigned: [{string.Join(",", worker.AssignedPartitions.Order())}]"),
            _ => HealthCheckResult.Unhealthy("waiting for a partition assignment from the consumer group"),
        });
}
