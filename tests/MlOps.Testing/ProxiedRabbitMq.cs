using System.Globalization;

namespace MlOps.Testing;

/// <summary>
/// A RabbitMQ node of a test's own (<see cref="PrivateRabbitMq"/>) that hosts reach only through a proxy of the
/// test's choice: a <see cref="StallingProxy"/> (the broker takes every publish and confirms none) or an
/// <see cref="AmqpConsumerCutter"/> (the broker drops a consumer behind its client's back).
/// </summary>
public sealed class ProxiedRabbitMq<TProxy> : IAsyncDisposable where TProxy : LoopbackProxy
{
    private ProxiedRabbitMq(PrivateRabbitMq node, TProxy proxy)
    {
        Node = node;
        Proxy = proxy;
    }

    /// <summary>The node itself (rabbitmqctl, its own port).</summary>
    public PrivateRabbitMq Node { get; }

    /// <summary>The proxy in front of it.</summary>
    public TProxy Proxy { get; }

    /// <summary>Starts a node and puts <paramref name="proxy"/> (given the node's port) in front of it.</summary>
    public static async Task<ProxiedRabbitMq<TProxy>> StartAsync(Func<int, TProxy> proxy)
    {
        ArgumentNullException.ThrowIfNull(proxy);
        var node = await PrivateRabbitMq.StartAsync();
        return new ProxiedRabbitMq<TProxy>(node, proxy(node.Port));
    }

    /// <summary>The <c>MlOps:Bus</c> settings of a host that connects through the proxy; a test adds its own keys.</summary>
    public Dictionary<string, string?> BusSettings() => new(Node.BusSettings())
    {
        ["MlOps:Bus:Port"] = Proxy.Port.ToString(CultureInfo.InvariantCulture),
    };

    public async ValueTask DisposeAsync()
    {
        await Proxy.DisposeAsync();
        await Node.DisposeAsync();
    }
}
