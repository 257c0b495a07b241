using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Monitoring;
using MlOps.Hosting.Bus;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Results;

/// <summary>Wakes the relay when the closer has committed new events (it also runs on a timer).</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>
/// Publishes the outbox's window events on the bus and marks them: at least once, in order of creation, each with
/// its stable message id (<see cref="OutboxMessages.MessageId"/>) so that consumers can drop repeats. What could not
/// be published stays and is retried; published rows are deleted after <see cref="MonitoringOptions.OutboxRetention"/>.
/// </summary>
public sealed partial class OutboxRelay(
    Database database,
    OutboxStore outbox,
    IBus bus,
    OutboxSignal signal,
    IOptions<MonitoringOptions> options,
    IOptions<BusOptions> busOptions,
    TimeProvider time,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    private const int Batch = 100;
    private readonly MonitoringOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pruned = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PublishPendingAsync(stoppingToken);
                if (time.GetUtcNow() - pruned > TimeSpan.FromHours(1))
                {
                    pruned = time.GetUtcNow();
                    await using var c = await database.OpenAsync(stoppingToken);
                    await outbox.PruneAsync(c, (pruned - _options.OutboxRetention).ToUnixTimeMilliseconds());
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogRelayFailed(e);
            }

            try
            {
                await signal.WaitAsync(_options.OutboxInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Publishes every pending event; returns how many went out.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        int published = 0;
        while (true)
        {
            IReadOnlyList<OutboxRow> pending;
            await using (var c = await database.OpenAsync(cancellationToken))
                pending = await outbox.LoadPendingAsync(c, Batch);
            foreach (var row in pending)
            {
                try
                {
                    await PublishAsync(OutboxMessages.FromRow(row), Guid.Parse(row.MessageId), cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Order matters to no consumer across windows, but a broken bus fails them all: stop, retry later.
                    await using var c = await database.OpenAsync(CancellationToken.None);
                    await outbox.MarkFailedAsync(c, row.MessageId, e.Message);
                    LogPublishFailed(row.MessageType, row.MessageId, e.Message);
                    return published;
                }

                await using (var c = await database.OpenAsync(CancellationToken.None))
                    await outbox.MarkPublishedAsync(c, row.MessageId, time.GetUtcNow().ToUnixTimeMilliseconds());
                published++;
            }

            if (pending.Count < Batch)
                return published;
        }
    }

    // A confirm that never comes (the broker restarted under the publish) fails the row after the publish timeout;
    // it stays pending and goes out again with the same message id.
    private Task PublishAsync(object message, Guid id, CancellationToken cancellationToken) => busOptions.Value.WithinAsync(token => message switch
    {
        DriftDetected m => bus.Publish(m, c => c.MessageId = id, token),
        PerformanceDegraded m => bus.Publish(m, c => c.MessageId = id, token),
        DataQualityDegraded m => bus.Publish(m, c => c.MessageId = id, token),
        _ => throw new ArgumentException($"{message.GetType().Name} is not a window event.", nameof(message)),
    }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {MessageType} {MessageId} from the outbox failed: {Reason}; it stays there and is retried")]
    private partial void LogPublishFailed(string messageType, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The outbox relay failed; retrying at the next tick")]
    private partial void LogRelayFailed(Exception exception);
}
