namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Servers the fault scenarios share: a RabbitMQ node of the suite's own (<see cref="PrivateRabbitMq"/>), which a
/// scenario may stop and start. It starts in the background as the collection begins (5–10 s here, while the Kafka
/// scenarios run), with a few virtual hosts made in advance: each scenario that uses the bus takes one of its own.
/// </summary>
public sealed class FaultServers : IAsyncLifetime
{
    private const int ReadyVirtualHosts = 2;
    private readonly Queue<string> _virtualHosts = new();
    private Task<PrivateRabbitMq>? _rabbitMq;

    public Task InitializeAsync()
    {
        _rabbitMq = Task.Run(async () =>
        {
            var node = await PrivateRabbitMq.StartAsync();
            for (int i = 0; i < ReadyVirtualHosts; i++)
                _virtualHosts.Enqueue(await node.AddVirtualHostAsync());
            return node;
        });
        return Task.CompletedTask;
    }

    /// <summary>The node (waits for its start) and a virtual host no other scenario uses.</summary>
    public async Task<(PrivateRabbitMq Node, string VirtualHost)> RabbitMqAsync()
    {
        var node = await _rabbitMq!;
        lock (_virtualHosts)
        {
            if (_virtualHosts.TryDequeue(out string? ready))
                return (node, ready);
        }

        return (node, await node.AddVirtualHostAsync());
    }

    public async Task DisposeAsync()
    {
        if (_rabbitMq is null)
            return;
        try
        {
            await (await _rabbitMq).DisposeAsync();
        }
        catch (InvalidOperationException)
        {
            // It never started: the scenario that asked for it said why.
        }
    }
}
