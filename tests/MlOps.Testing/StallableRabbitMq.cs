using System.Globalization;

namespace MlOps.Testing;

/// <summary>
/// A RabbitMQ node of a test's own (<see cref="PrivateRabbitMq"/>) that hosts reach through a
/// <see cref="StallingProxy"/>: after <see cref="Stall"/> the broker takes every publish and confirms none, until
/// <see cref="Resume"/>.
/// </summary>
public sealed class StallableRabbitMq : IAsyncDisposable
{
    private readonly PrivateRabbitMq _node;
    private readonly StallingProxy _proxy;

    private StallableRabbitMq(PrivateRabbitMq node)
    {
        _node = node;
        _proxy = new StallingProxy(node.Port);
    }

    public static async Task<StallableRabbitMq> StartAsync() => new(await PrivateRabbitMq.StartAsync());

    /// <summary>The <c>MlOps:Bus</c> settings of a host that connects through the proxy, with its publish timeout.</summary>
    public IReadOnlyDictionary<string, string?> BusSettings(TimeSpan publishTimeout) => new Dictionary<string, string?>(_node.BusSettings())
    {
        ["MlOps:Bus:Port"] = _proxy.Port.ToString(CultureInfo.InvariantCulture),
        ["MlOps:Bus:PublishTimeout"] = publishTimeout.ToString(),
    };

    /// <inheritdoc cref="StallingProxy.Stall"/>
    public void Stall() => _proxy.Stall();

    /// <inheritdoc cref="StallingProxy.Resume"/>
    public void Resume() => _proxy.Resume();

    public async ValueTask DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _node.DisposeAsync();
    }
}
