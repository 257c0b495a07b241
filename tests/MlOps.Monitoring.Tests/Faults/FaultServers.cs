namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Servers the fault scenarios share, started on first use and once per run: a RabbitMQ node of the suite's own
/// (<see cref="PrivateRabbitMq"/>), which a scenario may stop and start; each scenario takes a virtual host of its own.
/// </summary>
public sealed class FaultServers : IAsyncLifetime
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PrivateRabbitMq? _rabbitMq;

    public async Task<PrivateRabbitMq> RabbitMqAsync()
    {
        await _gate.WaitAsync();
        try
        {
            return _rabbitMq ??= await PrivateRabbitMq.StartAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_rabbitMq is not null)
            await _rabbitMq.DisposeAsync();
        _gate.Dispose();
    }
}
