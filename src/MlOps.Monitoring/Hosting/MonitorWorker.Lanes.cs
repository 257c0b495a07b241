using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace MlOps.Monitoring.Hosting;

public sealed partial class MonitorWorker
{
    /// <summary>
    /// A thread that applies the records of a share of the partitions (validation, join lookups, window updates) and
    /// writes their checkpoints, while the consumer thread goes on reading. Work runs in the order it was posted, so
    /// a partition's records, which always go to the same lane, are applied in offset order. The queue is bounded:
    /// a lane that falls behind holds the consumer back instead of filling memory.
    /// </summary>
    private sealed class Lane : IDisposable
    {
        // Enough for the records that arrive while the lane writes a checkpoint (about a quarter of a second of its
        // share at full speed), so the consumer goes on feeding the other lanes meanwhile.
        private const int QueuedBatches = 16;

        private readonly BlockingCollection<(Action Work, bool Always)> _queue = new(QueuedBatches);
        private readonly Thread _thread;
        private ExceptionDispatchInfo? _failure;

        public Lane(int index)
        {
            Index = index;
            _thread = new Thread(Run) { IsBackground = true, Name = $"mlops-monitor-lane-{index}" };
            _thread.Start();
        }

        public int Index { get; }

        /// <summary>Queues work; after a failure, work is skipped (the consumer thread rethrows the failure).</summary>
        public void Post(Action work) => _queue.Add((work, false));

        /// <summary>Returns once everything posted before has run (or the lane has failed).</summary>
        public void WaitIdle()
        {
            using var done = new ManualResetEventSlim();
            _queue.Add((done.Set, true));
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
            foreach (var (work, always) in _queue.GetConsumingEnumerable())
            {
                if (Volatile.Read(ref _failure) is not null && !always)
                    continue;
                try
                {
                    work();
                }
                catch (Exception e)
                {
                    Volatile.Write(ref _failure, ExceptionDispatchInfo.Capture(e));
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
