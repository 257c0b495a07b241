using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace MlOps.Monitoring.Hosting;

public sealed partial class MonitorWorker
{
    /// <summary>
    /// A thread that applies the records of a share of the partitions (validation, join lookups, window updates) and
    /// writes their checkpoints, while the consumer thread goes on reading. Work runs in the order it was posted, so
    /// a partition's records, which always go to the same lane, are applied in offset order. The queue is bounded by
    /// records, not by posts: a lane that falls behind holds the consumer back instead of filling memory, and a lane
    /// writing a checkpoint still has enough queued for the other lanes to keep busy meanwhile (bounded by posts, a
    /// few small batches filled it, and the consumer, waiting for it, starved the others).
    /// </summary>
    private sealed class Lane : IDisposable
    {
        // About a second of a lane's share at full speed: more than a checkpoint takes.
        private const int QueuedRecords = 32_000;

        private readonly BlockingCollection<(Action Work, bool Always, int Records)> _queue = new();
        private readonly object _gate = new();
        private readonly Thread _thread;
        private ExceptionDispatchInfo? _failure;
        private int _queuedRecords;

        public Lane(int index)
        {
            Index = index;
            _thread = new Thread(Run) { IsBackground = true, Name = $"mlops-monitor-lane-{index}" };
            _thread.Start();
        }

        public int Index { get; }

        /// <summary>
        /// Queues work on <paramref name="records"/> records, waiting while the lane already holds its share (the
        /// wait is counted as back-pressure); after a failure, work is skipped (the consumer thread rethrows it).
        /// </summary>
        public void Post(Action work, int records = 0)
        {
            lock (_gate)
            {
                if (_queuedRecords > 0 && _queuedRecords + records > QueuedRecords)
                {
                    long started = System.Diagnostics.Stopwatch.GetTimestamp();
                    while (_queuedRecords > 0 && _queuedRecords + records > QueuedRecords)
                        Monitor.Wait(_gate);
                    Metrics.MonitoringMetrics.ConsumerBackpressure.Inc(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
                }

                _queuedRecords += records;
            }

            _queue.Add((work, false, records));
        }

        /// <summary>Returns once everything posted before has run (or the lane has failed).</summary>
        public void WaitIdle()
        {
            using var done = new ManualResetEventSlim();
            _queue.Add((done.Set, true, 0));
            done.Wait();
        }

        /// <summary>Whether work failed on the lane (the rest is skipped).</summary>
        public bool Failed => Volatile.Read(ref _failure) is not null;

        /// <summary>Rethrows, on the caller's thread, the exception that stopped the lane.</summary>
        public void ThrowIfFailed() => Volatile.Read(ref _failure)?.Throw();

        public void Dispose()
        {
            _queue.CompleteAdding();
            _thread.Join();
            _queue.Dispose();
        }

        private void Run()
        {
            foreach (var (work, always, records) in _queue.GetConsumingEnumerable())
            {
                try
                {
                    if (Volatile.Read(ref _failure) is null || always)
                        work();
                }
                catch (Exception e)
                {
                    Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(e));
                }
                finally
                {
                    if (records > 0)
                    {
                        lock (_gate)
                        {
                            _queuedRecords -= records;
                            Monitor.PulseAll(_gate);
                        }
                    }
                }
            }
        }
    }

    /// <summary>Offsets the lanes have checkpointed, for the consumer thread to commit to Kafka (for lag tools).</summary>
    private readonly ConcurrentQueue<Confluent.Kafka.TopicPartitionOffset> _checkpointedOffsets = new();

    private Lane[] _lanes = [];

    private Lane LaneOf(int partition) => _lanes[partition % _lanes.Length];

    // Every lane finishes what it was given: before partitions move, and before the last checkpoint.
    private void WaitForLanes()
    {
        foreach (var lane in _lanes)
            lane.WaitIdle();
    }
}
