using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting.Options;

namespace MlOps.Hosting.Bus;

/// <summary>The one place a process configures its MassTransit bus (the service list calls it once per host).</summary>
public static class BusExtensions
{
    /// <summary>Adds MassTransit on the transport that <c>MlOps:Bus</c> names; <paramref name="configure"/> adds consumers and sagas.</summary>
    public static IHostApplicationBuilder AddMlOpsBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        builder.AddValidatedOptions<BusOptions>(BusOptions.Section);
        var options = builder.Configuration.Read<BusOptions>(BusOptions.Section);
        builder.Services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 reports usage (framework, OS, time zone, endpoint counts) to its vendor's server by
            // default; a monitoring platform inside someone's network does not phone home, nor log the failed call.
            bus.DisableUsageTelemetry();
            configure?.Invoke(bus);
            if (options.Transport == BusTransport.RabbitMq)
            {
                bus.UsingRabbitMq((context, cfg) =>
                {
                    cfg.Host(options.Host, options.Port, options.VirtualHost, h =>
                    {
                        h.Username(options.Username);
                        h.Password(options.Password);
                    });
                    cfg.ConfigureEndpoints(context);
                });
            }
            else
            {
                bus.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
            }
        });
        if (options.Transport == BusTransport.RabbitMq)
        {
            builder.Services.AddSingleton<ReceiveEndpointTracker>();
            builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ReceiveEndpointTracker>());
            builder.Services.AddHostedService<ConsumerWatchdog>();
        }

        // A stop (SIGTERM) finishes within the host's shutdown timeout: a consumer still busy after 2 s sees its
        // ConsumeContext.CancellationToken cancelled (the trainer stops at its next fold; its message is not faulted
        // but redelivered), and the bus stops waiting after 5 s. Without this a training run held the stop for 10 s.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.ConsumerStopTimeout = TimeSpan.FromSeconds(2);
            o.StopTimeout = TimeSpan.FromSeconds(5);
        });
        return builder;
    }

    /// <summary>
    /// A consumer that every instance of a service must run, not one of them: cache invalidation such as the
    /// monitor's model catalog on <c>ModelPromoted</c>. Each host gets its own temporary queue (deleted when it
    /// stops), bound to the message's exchange, so every instance sees every message.
    /// </summary>
    /// <remarks>
    /// The queue is exclusive, so its name is per host, not per process: a second host in the same process (tests run
    /// several instances side by side) would otherwise be refused the queue, its bus would never finish starting, and
    /// its other consumers would go on taking messages after the host stopped, failing them into the error queue.
    /// </remarks>
    public static void AddBroadcastConsumer<T>(this IBusRegistrationConfigurator bus) where T : class, IConsumer
    {
        string instance = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..6]}";
        bus.AddConsumer<T>().Endpoint(e =>
        {
            e.InstanceId = instance;
            e.Temporary = true;
        });
    }
}
