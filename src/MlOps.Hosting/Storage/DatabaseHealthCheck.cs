using System.Data.Common;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using MlOps.Storage;

namespace MlOps.Hosting.Storage;

/// <summary>Ready when the database answers a trivial query within the check's time.</summary>
internal sealed class DatabaseHealthCheck(Database database) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(3));
        try
        {
            await using var c = await database.OpenAsync(deadline.Token);
            await using var command = c.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(deadline.Token);
            return HealthCheckResult.Healthy($"{database.Provider} answers");
        }
        catch (Exception e) when (e is DbException or OperationCanceledException or InvalidOperationException or System.Net.Sockets.SocketException or TimeoutException)
        {
            // The message names the failure, never the connection string (it may hold a password).
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer: {e.GetType().Name}: {e.Message}");
        }
    }
}
