using System.Data.Common;
using System.Diagnostics;
using Confluent.Kafka;
using MlOps.Monitoring.Metrics;

namespace MlOps.Monitoring.Hosting;

public sealed partial class MonitorWorker
{
    private int _assignments;
    private int _restarts;
    private volatile string? _failure;
    // Set when a run fails: its in-memory state is no longer known to match the store, so nothing of it is written.
    private volatile bool _abandoned;
    private volatile Error? _fatal;

    /// <summary>
    /// Whether the current run of the consumer has had an assignment, and — while it waits to start again after a
    /// failure — a short reason (for <c>/health/ready</c>; the exception itself is in the log).
    /// </summary>
    public (bool Assigned, string? Failure) State => (Volatile.Read(ref _assignments) > 0, _failure);

    /// <summary>How many times the consumer failed and was started again.</summary>
    public int Restarts => Volatile.Read(ref _restarts);

    /// <summary>
    /// Supervises the consumer: a run that fails for any reason but shutdown (storage down, a checkpoint whose commit
    /// answer was lost, a dead letter that could not be written, a fatal Kafka error) is dropped as a whole — its
    /// partition state, lanes, consumer and dead-letter producer — and a fresh one starts after a capped exponential
    /// backoff. The fresh run joins the group again and restores each assigned partition from its last committed
    /// checkpoint, whose offsets are in the same transaction as its state: what was committed is counted once, what
    /// was not is read again, whatever the failed run had in memory.
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = _options.RestartDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                await Task.Factory.StartNew(() => Run(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (stoppingToken.IsCancellationRequested)
            {
                // The last checkpoint on the way out failed: the next start reads again from the one before.
                LogStopFailed(e);
                return;
            }
            catch (Exception e)
            {
                // A run that went well for a while starts the backoff over.
                if (Stopwatch.GetElapsedTime(started) >= _options.RestartMaxDelay)
                    delay = _options.RestartDelay;
                var (reason, label) = Describe(e);
                _failure = $"restarting the consumer after a failure ({reason}), next run in {delay.TotalSeconds:0.###} s";
                Interlocked.Increment(ref _restarts);
                MonitoringMetrics.ConsumerRestarts.WithLabels(label).Inc();
                LogRunFailed(e, reason, delay.TotalSeconds);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RestartMaxDelay.Ticks));
        }
    }

    // Before a run: nothing of an earlier one is kept (the partitions' state comes from the store on assignment).
    private void StartRun()
    {
        lock (_processors)
        {
            _processors.Clear();
            _lastCheckpoint.Clear();
        }

        _checkpointedOffsets.Clear();
        _positions.Clear();
        _readAt.Clear();
        Volatile.Write(ref _dlqFailures, 0);
        Volatile.Write(ref _assignments, 0);
        _abandoned = false;
        _fatal = null;
    }

    // After a failed run: its partitions are given up without a checkpoint, and their lag is no longer this run's to report.
    private void AbandonRun()
    {
        _abandoned = true;
        List<int> owned;
        lock (_processors)
        {
            owned = [.. _processors.Keys];
            _processors.Clear();
            _lastCheckpoint.Clear();
        }

        foreach (string topic in new[] { _options.PredictionsTopic, _options.OutcomesTopic })
        {
            foreach (int p in owned)
                MonitoringMetrics.ConsumerLag.RemoveLabelled(topic, p.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private void OnKafkaError(Error error)
    {
        LogKafkaError(error.Code, error.Reason);
        // A fatal error leaves the consumer unusable (librdkafka says so): the loop ends the run.
        if (error.IsFatal)
            _fatal = error;
    }

    private void ThrowIfFatal()
    {
        if (_fatal is { } error)
            throw new KafkaException(error);
    }

    // A short reason for /health/ready and a bounded label value: never an exception's message (it may quote SQL or
    // a connection string).
    private static (string Reason, string Label) Describe(Exception e)
    {
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case DeadLetterUnavailableException:
                    return ("the dead-letter topic could not be written", "dead_letter");
                case DbException or TimeoutException:
                    return ($"storage unavailable: {Name(inner)}{(e is CheckpointFailedException ? " in a checkpoint" : "")}", "storage");
                case KafkaException k:
                    return ($"Kafka error {k.Error.Code}", "kafka");
            }
        }

        if (e is CheckpointFailedException)
            return ($"a checkpoint failed: {Name(e.InnerException ?? e)}", "storage");

        return ($"unexpected {Name(e)}", "other");

        static string Name(Exception x) => x.GetType().Name;
    }

    /// <summary>A rejected record could not be written to the dead-letter topic: its offset must not be stored.</summary>
    private sealed class DeadLetterUnavailableException(string message) : Exception(message);

    /// <summary>A checkpoint transaction failed, or its commit answer was lost: the store may or may not hold it.</summary>
    private sealed class CheckpointFailedException(string message, Exception inner) : Exception(message, inner);
}
