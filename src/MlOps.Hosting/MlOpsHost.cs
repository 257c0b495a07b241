using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Console;
using MlOps.Hosting.Bus;
using MlOps.Hosting.Health;
using MlOps.Hosting.Problems;
using MlOps.Hosting.Security;
using MlOps.Hosting.Storage;
using Prometheus;

namespace MlOps.Hosting;

/// <summary>
/// Composes MlOps services into one ASP.NET Core host: <c>builder.AddMlOps(services)</c>, then
/// <c>app.MapMlOps()</c>. The same two calls build every thin host, <c>mlops up</c> and the test platform.
/// </summary>
public static class MlOpsHost
{
    /// <summary>The configuration key that switches console logs to one JSON object per line.</summary>
    public const string JsonLogsKey = "MlOps:Logging:Json";

    /// <summary>Adds the shared infrastructure once and then each service.</summary>
    public static IHostApplicationBuilder AddMlOps(this IHostApplicationBuilder builder, params IReadOnlyList<IMlOpsService> services)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (services.Count == 0)
            throw new ArgumentException("Name at least one service.", nameof(services));
        AddLogging(builder);
        // SIGTERM/SIGINT stop the host within Kubernetes' default grace period (final checkpoints included).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(8));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddMlOpsProblemDetails();
        builder.Services.AddHealthChecks();
        builder.AddMlOpsStorage();
        builder.AddMlOpsSecurity();
        builder.AddMlOpsBus(bus =>
        {
            foreach (var service in services)
                service.AddConsumers(bus);
        });
        foreach (var service in services)
            service.AddServices(builder);
        builder.Services.AddSingleton(new HostedServices(services));
        return builder;
    }

    /// <summary>Error handling, health endpoints, and each service's endpoints.</summary>
    public static WebApplication MapMlOps(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMlOpsProblemDetails();
        app.MapMlOpsHealth();
        // Every host exports its series (process, .NET runtime and the services' own) for Prometheus to scrape.
        app.MapMetrics("/metrics");
        foreach (var service in app.Services.GetRequiredService<HostedServices>().Services)
            service.MapEndpoints(app);
        return app;
    }

    private static void AddLogging(IHostApplicationBuilder builder)
    {
        // Formats the console provider the host already has (a test that replaced the providers keeps its own):
        // one line per event with a UTC timestamp, or one JSON object per line for log collectors.
        bool json = builder.Configuration.GetValue<bool>(JsonLogsKey);
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = json ? ConsoleFormatterNames.Json : ConsoleFormatterNames.Simple);
        builder.Services.Configure<SimpleConsoleFormatterOptions>(o =>
        {
            o.SingleLine = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });
        builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
        {
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            o.IncludeScopes = true;
        });
    }

    /// <summary>The services a host was composed from.</summary>
    public sealed record HostedServices(IReadOnlyList<IMlOpsService> Services);
}
