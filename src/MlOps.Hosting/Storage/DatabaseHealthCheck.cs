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
            // The kind of failure only: a driver's message names the host and port, a server's may quote SQL.
            string code = e is Npgsql.PostgresException pg ? $" {pg.SqlState}" : "";
            return HealthCheckResult.Unhealthy($"{database.Provider} does not answer ({e.GetType().Name}{code})");
        }
    }
}
