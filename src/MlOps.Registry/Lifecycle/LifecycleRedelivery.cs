using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Hosting.Bus;
using Prometheus;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Delivers the registry's lifecycle events to the bus in the order the changes were committed, without holding the
/// request that made a change longer than <see cref="BusOptions.PublishTimeout"/>. An event the broker refuses, or
/// does not confirm in time (RabbitMQ.Client 7 waits forever for a confirm lost in a broker restart), is kept in
/// memory and published again with the same message id — every 1 s, doubling to 30 s — until the broker takes it;
/// later events wait behind it, so a <c>PromotionDecided</c> never overtakes its <c>PromotionRequested</c>. What is
/// still waiting when the process stops is logged as lost (an error naming each event), and counted in
/// <c>mlops_lifecycle_events_pending</c> until then.
/// </summary>
/// <remarks>
/// The message id stays the same across attempts, so a consumer that de-duplicates (notifications do) sees an event
/// whose first confirm was lost but which did arrive once. The retraining saga ignores a decision it already has.
/// </remarks>
public sealed partial class LifecycleRedelivery(IOptions<BusOptions> options, ILogger<LifecycleRedelivery> logger) : BackgroundService
{
    /// <summary>Most events kept for another attempt; a change beyond that is logged as not announced.</summary>
    internal const int Capacity = 10_000;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromSeconds(30);

    private static readonly Gauge Pending = Metrics.CreateGauge(
        "mlops_lifecycle_events_pending", "Registry lifecycle events the bus has not confirmed yet, waiting to be published again.");

    private readonly Channel<PendingEvent> _queue = Channel.CreateBounded<PendingEvent>(new BoundedChannelOptions(Capacity) { SingleReader = true });
    private int _waiting;

    /// <summary>Events waiting for another attempt.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Publishes <paramref name="publish"/> (given the message id and a token) now, unless earlier events are still
    /// waiting; when it fails or times out, or others wait, it is kept for the background attempts and this returns.
    /// It never throws, and takes no cancellation: the change it announces is committed, so its event must follow even
    /// when the caller has gone (a request aborted); the wait is bounded by the publish timeout.
    /// </summary>
    public async Task PublishAsync(string eventName, string model, Func<Guid, CancellationToken, Task> publish)
    {
        var pending = new PendingEvent(eventName, model, MassTransit.NewId.NextGuid(), publish);
        if (Waiting == 0)
        {
            try
            {
                await options.Value.WithinAsync(token => publish(pending.MessageId, token), CancellationToken.None);
                return;
            }
            catch (Exception e)
            {
                LogWillRetry(eventName, model, pending.MessageId, e.Message);
            }
        }

        Keep(pending);
    }

    // Counted before it is queued, so the reader's decrement never runs ahead of it.
    private void Keep(PendingEvent pending)
    {
        Pending.Set(Interlocked.Increment(ref _waiting));
        if (_queue.Writer.TryWrite(pending))
            return;
        Pending.Set(Interlocked.Decrement(ref _waiting));
        LogDropped(pending.EventName, pending.Model, pending.MessageId, Capacity);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        PendingEvent? current = null;
        try
        {
            await foreach (var pending in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                current = pending;
                await DeliverAsync(pending, stoppingToken);
                current = null;
                Pending.Set(Interlocked.Decrement(ref _waiting));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is left, the event being retried included, is reported below.
        }

        var lost = new List<string>();
        if (current is not null)
            lost.Add(current.Describe());
        while (_queue.Reader.TryRead(out var left))
            lost.Add(left.Describe());
        if (lost.Count > 0)
            LogLost(lost.Count, string.Join(", ", lost));
    }

    private async Task DeliverAsync(PendingEvent pending, CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        for (int attempt = 2; ; attempt++)
        {
            await Task.Delay(delay, stoppingToken);
            try
            {
                await options.Value.WithinAsync(token => pending.Publish(pending.MessageId, token), stoppingToken);
                LogDelivered(pending.EventName, pending.Model, pending.MessageId, attempt);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogStillFailing(pending.EventName, pending.Model, pending.MessageId, attempt, e.Message);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, LongestRetry.Ticks));
            }
        }
    }

    private sealed record PendingEvent(string EventName, string Model, Guid MessageId, Func<Guid, CancellationToken, Task> Publish)
    {
        public string Describe() => $"{EventName} of {Model} ({MessageId})";
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Event} of {Model} (message {MessageId}) failed: {Reason}; the change is committed, and the event is published again until the broker takes it")]
    private partial void LogWillRetry(string @event, string model, Guid messageId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Attempt {Attempt} to publish {Event} of {Model} (message {MessageId}) failed: {Reason}; trying again")]
    private partial void LogStillFailing(string @event, string model, Guid messageId, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Event} of {Model} (message {MessageId}) at attempt {Attempt}")]
    private partial void LogDelivered(string @event, string model, Guid messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Event} of {Model} (message {MessageId}) was not published: {Capacity} earlier events are still waiting for the broker")]
    private partial void LogDropped(string @event, string model, Guid messageId, int capacity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stopping with {Count} lifecycle event(s) the broker never took; they are lost: {Events}")]
    private partial void LogLost(int count, string events);
}
