using System.ComponentModel.DataAnnotations;

namespace MlOps.Hosting.Bus;

/// <summary>Configuration section <c>MlOps:Bus</c>: the MassTransit transport.</summary>
public sealed class BusOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Bus";

    /// <summary><c>InMemory</c> (embedded default) or <c>RabbitMq</c> (distributed).</summary>
    public BusTransport Transport { get; set; } = BusTransport.InMemory;

    /// <summary>RabbitMQ host (RabbitMq transport).</summary>
    [Required(AllowEmptyStrings = false)]
    public string Host { get; set; } = "localhost";

    /// <summary>RabbitMQ port.</summary>
    [Range(1, 65535)]
    public ushort Port { get; set; } = 5672;

    /// <summary>RabbitMQ virtual host.</summary>
    public string VirtualHost { get; set; } = "/";

    /// <summary>RabbitMQ user.</summary>
    public string Username { get; set; } = "guest";

    /// <summary>RabbitMQ password (never logged).</summary>
    public string Password { get; set; } = "guest";

    /// <summary>
    /// How long a publish may wait for the broker's confirm before it is abandoned and retried (default 30 s). With
    /// publisher confirms, RabbitMQ.Client 7 waits for a confirm forever when the broker restarts under it
    /// (rabbitmq-dotnet-client#1930); a retraining saga's delivery, the monitor's outbox relay and the deadline sweeper
    /// would then hang, and the saga's receive endpoint could never restart.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the broker is asked whether every queue this process consumes has a consumer (RabbitMq transport;
    /// default 30 s). A queue without one at two checks in a row while MassTransit reports its endpoint consuming has
    /// the endpoint restarted (<see cref="ConsumerWatchdog"/>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan ConsumerCheckInterval { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Which MassTransit transport carries messages.</summary>
public enum BusTransport
{
    /// <summary>In-process: one process, nothing to install.</summary>
    InMemory,

    /// <summary>RabbitMQ: several processes.</summary>
    RabbitMq,
}
