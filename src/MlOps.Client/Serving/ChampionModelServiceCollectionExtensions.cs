using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Client.Logging;

namespace MlOps.Client.Serving;

/// <summary>Registers a <see cref="ChampionModel{TInput, TOutput}"/> in an ASP.NET Core (or any Generic Host) app.</summary>
public static partial class ChampionModelServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ChampionModel{TInput, TOutput}"/> bound from the section <c>MlOps:Champion</c> of
    /// <paramref name="configuration"/> (then adjusted by <paramref name="configure"/>), validated when the host starts (a bad
    /// setting stops start-up with a message naming its key). It logs through the registered <see cref="MlOpsLogger"/>, if any.
    /// The champion is loaded as the host starts; when that fails (registry down, no champion yet) start-up goes on, the failure
    /// is logged, and the load is retried every <see cref="ChampionModelOptions.RetryInterval"/> — until then
    /// <see cref="ChampionModel{TInput, TOutput}.Predict"/> throws <see cref="InvalidOperationException"/>.
    /// </summary>
    public static IServiceCollection AddChampionModel<TInput, TOutput>(this IServiceCollection services, IConfiguration configuration, Action<ChampionModelOptions>? configure = null)
        where TInput : class
        where TOutput : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddOptions<ChampionModelOptions>().Bind(configuration.GetSection(ChampionModelOptions.Section)).ValidateOnStart();
        if (configure is not null)
            builder.Configure(configure);
        return AddCore<TInput, TOutput>(services);
    }

    /// <summary>As the other overload, configured only by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddChampionModel<TInput, TOutput>(this IServiceCollection services, Action<ChampionModelOptions> configure)
        where TInput : class
        where TOutput : class, new()
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<ChampionModelOptions>().Configure(configure).ValidateOnStart();
        return AddCore<TInput, TOutput>(services);
    }

    private static IServiceCollection AddCore<TInput, TOutput>(IServiceCollection services)
        where TInput : class
        where TOutput : class, new()
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChampionModelOptions>, ChampionModelOptionsValidator>());
        services.TryAddSingleton(sp => new ChampionModel<TInput, TOutput>(
            sp.GetRequiredService<IOptions<ChampionModelOptions>>().Value,
            sp.GetService<MlOpsLogger>(),
            sp.GetService<ILogger<ChampionModel<TInput, TOutput>>>()));
        services.AddHostedService<ChampionModelStartup<TInput, TOutput>>();
        return services;
    }

    private sealed partial class ChampionModelStartup<TInput, TOutput>(ChampionModel<TInput, TOutput> champion, IOptions<ChampionModelOptions> options, ILogger<ChampionModel<TInput, TOutput>> log)
        : BackgroundService
        where TInput : class
        where TOutput : class, new()
    {
        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            try
            {
                await champion.StartAsync(stoppingToken).ConfigureAwait(false);
                return;
            }
            catch (ModelLoadException)
            {
                // Logged by the model; retried below.
            }

            using var timer = new PeriodicTimer(options.Value.RetryInterval);
            while (!champion.IsLoaded && await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await champion.ReloadAsync(null, stoppingToken).ConfigureAwait(false);
                }
                catch (ModelLoadException)
                {
                    LogRetrying(champion.Model, options.Value.RetryInterval.TotalSeconds);
                }
            }
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model {Model} is not loaded yet; retrying in {Seconds} s")]
        private partial void LogRetrying(string model, double seconds);
    }
}
