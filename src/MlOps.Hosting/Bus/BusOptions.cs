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
}

/// <summary>Which MassTransit transport carries messages.</summary>
public enum BusTransport
{
    /// <summary>In-process: one process, nothing to install.</summary>
    InMemory,

    /// <summary>RabbitMQ: several processes.</summary>
    RabbitMq,
}
