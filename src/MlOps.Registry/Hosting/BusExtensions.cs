using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MlOps.Registry.Hosting;

/// <summary>The one place a process configures its MassTransit bus (call it once, in the host).</summary>
public static class BusExtensions
{
    /// <summary>Adds MassTransit on the transport that <c>MlOps:Bus</c> names; <paramref name="configure"/> adds consumers and sagas.</summary>
    public static IHostApplicationBuilder AddMlOpsBus(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? configure = null)
    {
        builder.Services.AddOptions<BusOptions>().Bind(builder.Configuration.GetSection(BusOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(BusOptions.Section).Get<BusOptions>() ?? new BusOptions();
        builder.Services.AddMassTransit(bus =>
        {
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
        return builder;
    }
}
