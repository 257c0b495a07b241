using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Retraining;
using MlOps.Hosting;
using MlOps.Hosting.Bus;
using MlOps.Storage;
using MlOps.Storage.Retraining;

namespace MlOps.Orchestration;

/// <summary>
/// Publishes <see cref="RetrainingDeadlineReached"/> for every saga whose stored deadline passed — MassTransit's
/// scheduler needs Quartz or RabbitMQ's delayed-message plugin, neither of which is available. A deadline that stays
/// due (its event was lost, or failed) is published again every <see cref="Republish"/>; the state machine ignores
/// any that no longer match the saga's deadline.
/// </summary>
internal sealed partial class DeadlineSweeper(
    Database database,
    RetrainingStore store,
    IBus bus,
    IOptions<OrchestrationOptions> options,
    IOptions<BusOptions> busOptions,
    TimeProvider time,
    ILogger<DeadlineSweeper> logger) : BackgroundService
{
    internal static readonly TimeSpan Republish = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(string Id, long Deadline), DateTimeOffset> _published = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            do
            {
                try
                {
                    await SweepAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(e);
                }
            }
            while (await timer.TickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: deadlines stay in the rows and are swept by whoever runs next.
        }
    }

    /// <summary>One sweep; returns how many deadline events it published.</summary>
    internal async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        IReadOnlyList<(string CorrelationId, long Deadline)> due;
        await using (var c = await database.OpenAsync(cancellationToken))
            due = await store.DueAsync(c, now.ToUnixTimeMilliseconds());

        int published = 0;
        var keep = new HashSet<(string, long)>();
        foreach (var (id, deadline) in due)
        {
            keep.Add((id, deadline));
            if (_published.TryGetValue((id, deadline), out var at) && now - at < Republish)
                continue;
            // Bounded: a publish that hangs (the broker restarted under it) would stop every later sweep.
            var message = new RetrainingDeadlineReached { CorrelationId = Guid.ParseExact(id, "N"), Deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadline) };
            await busOptions.Value.WithinAsync(token => bus.Publish(message, token), cancellationToken);
            _published[(id, deadline)] = now;
            published++;
        }

        foreach (var key in _published.Keys.Where(k => !keep.Contains(k)).ToList())
            _published.Remove(key);
        return published;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping retraining deadlines failed; trying again at the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
