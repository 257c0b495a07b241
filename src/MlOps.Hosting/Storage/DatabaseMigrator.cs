using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Storage;

namespace MlOps.Hosting.Storage;

/// <summary>Applies the database migrations before the host starts serving.</summary>
internal sealed partial class DatabaseMigrator(Database database, ILogger<DatabaseMigrator> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await database.MigrateAsync(cancellationToken);
        LogMigrated(database.Provider, applied.Count == 0 ? "none (up to date)" : string.Join(", ", applied));
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Provider}: migrations applied: {Migrations}")]
    private partial void LogMigrated(StorageProvider provider, string migrations);
}
