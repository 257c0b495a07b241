using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MlOps.Hosting.Options;
using MlOps.Storage;

namespace MlOps.Hosting.Storage;

/// <summary>The database of a host (SQLite embedded, PostgreSQL distributed), from <c>MlOps:Storage</c>.</summary>
public static class StorageExtensions
{
    /// <summary>Adds the <see cref="Database"/> and applies its migrations at start-up (once per host, whoever asks).</summary>
    public static IHostApplicationBuilder AddMlOpsStorage(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(Database)))
            return builder;
        builder.AddValidatedOptions<StorageOptions>(StorageOptions.Section);
        builder.Services.AddSingleton(sp => new Database(sp.GetRequiredService<IOptions<StorageOptions>>().Value));
        builder.Services.AddHostedService<DatabaseMigrator>();
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [Health.HealthEndpoints.ReadyTag]);
        return builder;
    }
}
