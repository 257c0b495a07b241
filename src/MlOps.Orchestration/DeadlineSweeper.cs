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
/// <para>On the in-memory bus (embedded: trainer and orchestrator in one process) a request in flight dies with the
/// process. The first sweep of a new process therefore publishes the deadline of every saga an earlier process left
/// training or evaluating at once, with the reason: the attempt fails and the next one is sent, instead of the run
/// waiting for the attempt's deadline (the training budget plus 10 minutes).</para>
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

    internal const string LostRequest = "the request was lost: the process that sent it stopped, and the in-memory bus keeps nothing across a restart";

    private readonly Dictionary<(string Id, long Deadline), DateTimeOffset> _published = [];
    private readonly DateTimeOffset _started = time.GetUtcNow();
    private bool _lostRequestsSwept = busOptions.Value.Transport != BusTransport.InMemory;

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
        IReadOnlyList<(string CorrelationId, long Deadline)> lost = [];
        await using (var c = await database.OpenAsync(cancellationToken))
        {
            due = await store.DueAsync(c, now.ToUnixTimeMilliseconds());
            if (!_lostRequestsSwept)
                lost = await store.WaitingSinceBeforeAsync(c, _started.ToUnixTimeMilliseconds());
        }

        int published = 0;
        foreach (var (id, deadline) in lost)
        {
            var message = new RetrainingDeadlineReached { CorrelationId = Guid.ParseExact(id, "N"), Deadline = DateTimeOffset.FromUnixTimeMilliseconds(deadline), Reason = LostRequest };
            await busOptions.Value.WithinAsync(token => bus.Publish(message, token), cancellationToken);
            LogLostRequest(id);
            published++;
        }

        _lostRequestsSwept = true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retraining saga {CorrelationId} was waiting for an answer to a request an earlier process sent on the in-memory bus: failing the attempt now")]
    private partial void LogLostRequest(string correlationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping retraining deadlines failed; trying again at the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
