using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MlOps.Client.Logging;

/// <summary>Registers <see cref="MlOpsLogger"/> in an ASP.NET Core (or any Generic Host) app.</summary>
public static class MlOpsLoggerServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="MlOpsLogger"/> configured by <paramref name="configure"/>. The options are validated when
    /// the host starts (a bad one stops start-up with a message naming its key, e.g. <c>MlOps:Logger:BootstrapServers</c>), the
    /// schemas of <see cref="MlOpsLoggerOptions.Models"/> are loaded then (without failing start-up when the registry is
    /// down), and the buffer is flushed when the host stops.
    /// </summary>
    public static IServiceCollection AddMlOpsLogger(this IServiceCollection services, Action<MlOpsLoggerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<MlOpsLoggerOptions>().Configure(configure).ValidateOnStart();
        return AddCore(services);
    }

    /// <summary>
    /// As <see cref="AddMlOpsLogger(IServiceCollection, Action{MlOpsLoggerOptions})"/>, bound from the section
    /// <c>MlOps:Logger</c> of <paramref name="configuration"/> (appsettings, or environment variables such as
    /// <c>MLOPS__LOGGER__BOOTSTRAPSERVERS</c> and <c>MLOPS__LOGGER__MODELS__0</c>), then adjusted by <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddMlOpsLogger(this IServiceCollection services, IConfiguration configuration, Action<MlOpsLoggerOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOptions<MlOpsLoggerOptions>().Bind(configuration.GetSection(MlOpsLoggerOptions.Section)).ValidateOnStart();
        if (configure is not null)
            builder.Configure(configure);
        return AddCore(services);
    }

    private static IServiceCollection AddCore(IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MlOpsLoggerOptions>, MlOpsLoggerOptionsValidator>());
        services.TryAddSingleton(sp => new MlOpsLogger(
            sp.GetRequiredService<IOptions<MlOpsLoggerOptions>>().Value,
            sp.GetService<ILogger<MlOpsLogger>>(),
            sp.GetService<IMeterFactory>(),
            sp.GetService<TimeProvider>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, MlOpsLoggerStartup>());
        return services;
    }

    /// <summary>Loads the configured schemas as the host starts; flushes as it stops (the container disposes the logger after).</summary>
    private sealed class MlOpsLoggerStartup(MlOpsLogger logger, IOptions<MlOpsLoggerOptions> options) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => logger.StartAsync(cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => logger.FlushAsync(options.Value.FlushTimeout, cancellationToken);
    }
}
