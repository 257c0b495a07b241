using MlOps.Hosting;
using Confluent.Kafka;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Validation;
using MlOps.Kafka;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Metrics;
using MlOps.Monitoring.Processing;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Hosting;

/// <summary>
/// The consumer loop (confluent-kafka-dotnet's pattern): reads predictions and outcomes of the assigned partitions,
/// validates them (rejects go to the DLQ with a reason), applies them to the partition's state, and checkpoints state
/// and offsets in one store transaction. Offsets are restored from the store on assignment, so a crash or a rebalance
/// neither loses nor double-counts an event; Kafka offsets are committed after the store's, for lag tools only.
/// </summary>
public sealed partial class MonitorWorker(
    IOptions<MonitoringOptions> options,
    Database database,
    MonitorStateStore store,
    IModelCatalog catalog,
    MonitorTopology topology,
    GroupWatermarks groupWatermarks,
    TimeProvider time,
    ILogger<MonitorWorker> logger) : BackgroundService
{
    // Records applied together: their unknown prediction ids are looked up in the store in one query per partition.
    private const int PollBatch = 2_000;

    private long _recordsApplied;
    private readonly MonitoringOptions _options = options.Value;
    private readonly Dictionary<int, PartitionProcessor> _processors = [];
    private readonly StoredJoinState _joinState = new(database, store.Join, options.Value.ConsumerGroup);
    private readonly Dictionary<int, DateTimeOffset> _lastCheckpoint = [];
    private IProducer<byte[], byte[]>? _dlqProducer;
    private DeadLetterPublisher? _dlq;
    private int _dlqFailures;

    /// <summary>The partitions this instance owns now (for tests and diagnostics).</summary>
    public IReadOnlyCollection<int> AssignedPartitions
    {
        get
        {
            lock (_processors)
                return [.. _processors.Keys];
        }
    }

    /// <summary>Records the processing threads have applied since start (valid or not), for tests and diagnostics.</summary>
    public long RecordsApplied => Interlocked.Read(ref _recordsApplied);

    /// <summary>Reads the model catalog before the first record: without it every record would be rejected as an unknown model.</summary>
    private async Task LoadCatalogAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await catalog.RefreshAllAsync(stoppingToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                if (e is not NotListeningYetException)
                    LogWaitingForRegistry(e.Message, delay.TotalSeconds);
                await Task.Delay(delay, time, stoppingToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task Run(CancellationToken stoppingToken)
    {
        StartRun();
        await LoadCatalogAsync(stoppingToken);
        await ReadTopologyAsync(stoppingToken);
        var validator = new EventValidator(name => catalog.FindOrLoad(name)?.Schema);
        _dlqProducer = KafkaProducers.CreateReliable<byte[], byte[]>(_options.BootstrapServers);
        _dlq = new DeadLetterPublisher(_dlqProducer, _options.DeadLetterTopic);
        using var consumer = KafkaConsumers.CreateTuned<byte[], byte[]>(
            _options.BootstrapServers,
            _options.ConsumerGroup,
            configure: c => c.SessionTimeoutMs = (int)_options.SessionTimeout.TotalMilliseconds,
            customize: b => b
                .SetPartitionsAssignedHandler((c, partitions) => OnAssigned(partitions))
                .SetPartitionsRevokedHandler((c, partitions) => OnRevoked(partitions))
                .SetErrorHandler((_, e) => OnKafkaError(e)));
        consumer.Subscribe([_options.PredictionsTopic, _options.OutcomesTopic]);
        LogStarted(_options.BootstrapServers, _options.ConsumerGroup);
        _lanes = [.. Enumerable.Range(0, _options.ProcessingThreads).Select(i => new Lane(i))];
        _inFlight = new InFlightCheckpoint?[_lanes.Length];
        var lastHousekeeping = time.GetUtcNow();
        bool stopped = false;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var batch = new List<ConsumeResult<byte[], byte[]>>(PollBatch);
                try
                {
                    // Wait for the first record, then take what is already fetched, up to a batch.
                    var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
                    while (record is not null)
                    {
                        if (!record.IsPartitionEOF)
                        {
                            batch.Add(record);
                            if (record.Message.Timestamp.Type != TimestampType.NotAvailable)
                                _readAt[record.Partition.Value] = record.Message.Timestamp.UnixTimestampMs;
                        }
                        record = batch.Count < PollBatch ? consumer.Consume(TimeSpan.Zero) : null;
                    }
                }
                catch (ConsumeException e)
                {
                    LogConsumeError(e, e.Error.Code, e.Error.Reason);
                }

                if (batch.Count > 0)
                    Dispatch(batch, validator);
                foreach (var lane in _lanes)
                    lane.ThrowIfFailed();
                ThrowIfFatal();
                var now = time.GetUtcNow();
                if (now - lastHousekeeping >= TimeSpan.FromMilliseconds(200))
                {
                    lastHousekeeping = now;
                    var catchingUp = ExportLag(consumer, now);
                    foreach (var lane in _lanes)
                        lane.Post(() => CheckpointDue(lane.Index, now, force: false, catchingUp));
                    CommitCheckpointedOffsets(consumer);
                }
            }

            stopped = true;
        }
        finally
        {
            WaitForLanes();
            if (!stopped)
            {
                // The run failed: leave the group without writing anything more (the supervisor starts a fresh run).
                AbandonRun();
                Close(consumer);
            }
            else if (_options.CheckpointOnStop)
            {
                // Shut down cleanly: state and offsets of every owned partition, then leave the group.
                var now = time.GetUtcNow();
                foreach (var lane in _lanes)
                    lane.Post(() => CheckpointDue(lane.Index, now, force: true, NoPartitions));
                WaitForLanes();
                if (_lanes.Any(l => l.Failed))
                    AbandonRun();
                else
                    CommitCheckpointedOffsets(consumer);
                Close(consumer);
            }

            // No write of this run outlives it: the next run must not restore state while one is still going on.
            FinishInFlight(apply: false);
            foreach (var lane in _lanes)
                lane.Dispose();
            _dlqProducer.Flush(TimeSpan.FromSeconds(10));
            _dlqProducer.Dispose();
        }

        foreach (var lane in _lanes)
            lane.ThrowIfFailed();
    }

    // Each lane gets its partitions' records of the batch, in the order they were read.
    private void Dispatch(List<ConsumeResult<byte[], byte[]>> batch, EventValidator validator)
    {
        if (_lanes.Length == 1)
        {
            _lanes[0].Post(() => ApplyBatch(0, batch, validator), batch.Count);
            return;
        }

        var shares = new List<ConsumeResult<byte[], byte[]>>?[_lanes.Length];
        foreach (var record in batch)
            (shares[record.Partition.Value % _lanes.Length] ??= new(batch.Count / _lanes.Length + 16)).Add(record);
        for (int i = 0; i < shares.Length; i++)
        {
            if (shares[i] is { } share)
            {
                int lane = i;
                _lanes[i].Post(() => ApplyBatch(lane, share, validator), share.Count);
            }
        }
    }

    private void CommitCheckpointedOffsets(IConsumer<byte[], byte[]> consumer)
    {
        // The latest checkpointed offset of each topic partition; the store holds the ones that count.
        var latest = new Dictionary<TopicPartition, Offset>();
        while (_checkpointedOffsets.TryDequeue(out var o))
            latest[o.TopicPartition] = o.Offset;
        if (latest.Count == 0)
            return;
        try
        {
            consumer.Commit([.. latest.Select(kv => new TopicPartitionOffset(kv.Key, kv.Value))]);
        }
        catch (KafkaException e)
        {
            // Kafka's copy only feeds lag tools (a partition that moved away meanwhile is refused; its new owner commits).
            LogKafkaError(e.Error.Code, e.Error.Reason);
        }
    }

    private void ApplyBatch(int lane, List<ConsumeResult<byte[], byte[]>> batch, EventValidator validator)
    {
        // A checkpoint written meanwhile lets the cache go of what it stored before the batch adds more.
        CompleteInFlight(lane, wait: false);
        // Validate everything first, so that the ids the batch needs are looked up in one query per partition.
        var validated = new (ValidationResult<Contracts.Events.PredictionEvent>? Prediction, ValidationResult<Contracts.Events.OutcomeEvent>? Outcome)[batch.Count];
        var ids = new Dictionary<int, List<string>>();
        for (int i = 0; i < batch.Count; i++)
        {
            var record = batch[i];
            byte[] value = record.Message.Value ?? [];
            string? id;
            if (record.Topic == _options.PredictionsTopic)
            {
                validated[i].Prediction = validator.ValidatePrediction(value);
                id = validated[i].Prediction!.Value?.PredictionId;
            }
            else
            {
                validated[i].Outcome = validator.ValidateOutcome(value);
                id = validated[i].Outcome!.Value?.PredictionId;
            }

            if (id is not null)
            {
                if (!ids.TryGetValue(record.Partition.Value, out var list))
                    ids[record.Partition.Value] = list = [];
                list.Add(id);
            }
        }

        // The batch's processors, found once: partitions move only while the lanes are idle, and a lock per record
        // was the lanes' most contended point (a tenth of the monitor's CPU spun on it at full speed).
        var processors = new Dictionary<int, PartitionProcessor?>();
        lock (_processors)
        {
            foreach (var record in batch)
            {
                int partition = record.Partition.Value;
                if (!processors.ContainsKey(partition))
                    processors[partition] = _processors.GetValueOrDefault(partition);
            }
        }

        foreach (var (partition, list) in ids)
            processors[partition]?.Prefetch(list);

        for (int i = 0; i < batch.Count; i++)
        {
            if (processors[batch[i].Partition.Value] is { } processor)
                Apply(processor, batch[i], validated[i].Prediction, validated[i].Outcome);
        }

        Interlocked.Add(ref _recordsApplied, batch.Count);
        // A partition CheckpointRecords past its checkpoint has it taken now, not at the next housekeeping tick (a
        // lane applies tens of thousands of records in a tick): what memory holds is bounded by CheckpointRecords and
        // one batch, and by the store's pace once it writes slower than the stream arrives.
        if (processors.Values.Any(p => p?.RecordsSinceCheckpoint >= _options.CheckpointRecords))
            CheckpointDue(lane, time.GetUtcNow(), force: false, catchingUp: null);
    }

    private void Apply(PartitionProcessor processor, ConsumeResult<byte[], byte[]> record, ValidationResult<Contracts.Events.PredictionEvent>? prediction, ValidationResult<Contracts.Events.OutcomeEvent>? outcomeResult)
    {
        processor.Touch(time.GetUtcNow());
        string topic = record.Topic;
        long offset = record.Offset.Value;
        if (prediction is not null)
        {
            if (prediction.Value is { } e && catalog.Find(e.Model) is { } known)
            {
                var model = catalog.FindOrLoad(known, e.ModelVersion);
                var outcome = processor.OnPrediction(e, model, topic, offset);
                Count(outcome, e.Model, e.ModelVersion, topic);
                if (e.LatencyMs is { } ms && outcome is ProcessResult.Counted or ProcessResult.Joined)
                    MonitoringMetrics.PredictionLatency.WithLabels(e.Model).Observe(ms / 1000.0);
            }
            else
            {
                DeadLetter(record, prediction.Reason ?? RejectReason.UnknownModel, prediction.Errors, prediction.Model);
                processor.Skip(topic, offset);
            }
        }
        else if (outcomeResult is not null)
        {
            if (outcomeResult.Value is { } e && catalog.Find(e.Model) is { } model)
            {
                var outcome = processor.OnOutcome(e, model, topic, offset);
                Count(outcome, e.Model, null, topic);
                if (outcome is ProcessResult.Joined or ProcessResult.LateLabel && processor.LastLabelDelay is { } delay)
                    MonitoringMetrics.LabelDelay.WithLabels(e.Model).Observe(delay.TotalSeconds);
            }
            else
            {
                DeadLetter(record, outcomeResult.Reason ?? RejectReason.UnknownModel, outcomeResult.Errors, outcomeResult.Model);
                processor.Skip(topic, offset);
            }
        }
    }

    // Label lookups cost more than the increment: keep the children of the hot counters.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Model, string Version), Prometheus.Counter.Child> _predictionCounters = new();

    private Prometheus.Counter.Child PredictionCounter(string model, string version) =>
        _predictionCounters.GetOrAdd((model, version), key => MonitoringMetrics.Predictions.WithLabels(key.Model, key.Version));

    private void Count(ProcessResult result, string model, string? version, string topic)
    {
        switch (result)
        {
            case ProcessResult.Counted when version is not null:
                PredictionCounter(model, version).Inc();
                break;
            case ProcessResult.Joined when version is not null:
                PredictionCounter(model, version).Inc();
                MonitoringMetrics.Outcomes.WithLabels(model).Inc();
                break;
            case ProcessResult.Joined or ProcessResult.LateLabel:
                MonitoringMetrics.Outcomes.WithLabels(model).Inc();
                break;
            case ProcessResult.Duplicate:
                MonitoringMetrics.Duplicates.WithLabels(topic).Inc();
                break;
            case ProcessResult.TooLate:
                MonitoringMetrics.LateEvents.WithLabels(model).Inc();
                break;
        }
    }

    private void DeadLetter(ConsumeResult<byte[], byte[]> record, string reason, IReadOnlyList<ValidationError> errors, string? model)
    {
        string detail = string.Join("; ", errors.Take(5).Select(e => $"{e.Field}: {e.Message}"));
        _dlq!.Publish(record, reason, detail, report =>
        {
            if (report.Error.IsError)
            {
                LogKafkaError(report.Error.Code, report.Error.Reason);
                Interlocked.Increment(ref _dlqFailures);
            }
        });
        // Only registered model names become label values (the validator gives none for an unknown one).
        MonitoringMetrics.DeadLettered.WithLabels(reason, model ?? "").Inc();
    }

    private IEnumerable<TopicPartitionOffset> OnAssigned(List<TopicPartition> partitions)
    {
        var result = new List<TopicPartitionOffset>(partitions.Count);
        var byNumber = partitions.Select(p => p.Partition.Value).Distinct().Order().ToList();
        var (offsets, states) = LoadStates(byNumber);
        foreach (var tp in partitions)
        {
            long? stored = offsets.FirstOrDefault(o => o.Topic == tp.Topic && o.Partition == tp.Partition.Value)?.NextOffset;
            result.Add(new TopicPartitionOffset(tp, stored is { } next ? new Offset(next) : Offset.Beginning));
        }

        lock (_processors)
        {
            foreach (var state in states)
            {
                _processors[state.Partition] = state;
                _lastCheckpoint[state.Partition] = time.GetUtcNow() - CheckpointStagger(state.Partition);
            }
        }

        Interlocked.Increment(ref _assignments);
        _failure = null;
        LogAssigned(string.Join(",", byNumber));
        return result;
    }

    // Each lane's checkpoints fall due a share of the interval apart from the others': SQLite has one writer, and a
    // lane waiting for it while another writes would fill its queue and hold the consumer (and so every lane) back.
    private TimeSpan CheckpointStagger(int partition) =>
        _lanes.Length <= 1 ? TimeSpan.Zero : _options.CheckpointInterval * (partition % _lanes.Length) / _lanes.Length;

    private (IReadOnlyList<OffsetRow> Offsets, List<PartitionProcessor> States) LoadStates(IReadOnlyList<int> partitions) =>
        Task.Run(async () =>
        {
            await using var c = await database.OpenAsync();
            var offsets = await store.LoadOffsetsAsync(c, _options.ConsumerGroup);
            var states = new List<PartitionProcessor>();
            foreach (int p in partitions)
            {
                await ConvertJoinLogAsync(p);
                var processor = new PartitionProcessor(_options.ConsumerGroup, p, catalog, _options, groupWatermarks, _joinState);
                var (watermark, sequence) = await store.LoadWatermarkAsync(c, _options.ConsumerGroup, p);
                processor.Restore(
                    await store.LoadPartialsAsync(c, _options.ConsumerGroup, p),
                    watermark,
                    offsets,
                    await store.LoadModelWatermarksAsync(c, _options.ConsumerGroup, p),
                    sequence);
                states.Add(processor);
            }

            return (offsets, states);
        }).GetAwaiter().GetResult();

    // State written by an earlier version keeps its join state in a log: move it into the join tables, once.
    private Task ConvertJoinLogAsync(int partition) => database.InTransactionAsync(async (c, tx) =>
    {
        var log = await store.LoadJoinLogAsync(c, _options.ConsumerGroup, partition, tx);
        if (log.Count == 0)
            return false;
        await store.Join.ApplyAsync(c, tx, _options.ConsumerGroup, partition, PartitionProcessor.ConvertJoinLog(_options.ConsumerGroup, partition, log));
        await store.DeleteJoinLogAsync(c, tx, _options.ConsumerGroup, partition);
        LogJoinLogConverted(partition, log.Count);
        return true;
    });

    private void OnRevoked(List<TopicPartitionOffset> partitions)
    {
        var numbers = partitions.Select(p => p.Partition.Value).Distinct().ToList();
        // The lanes finish the records already read (they are idle then: this thread reads no more meanwhile), and
        // the checkpoints they are writing.
        WaitForLanes();
        FinishInFlight(apply: !_abandoned);
        List<PartitionProcessor> revoked;
        lock (_processors)
            revoked = [.. numbers.Where(_processors.ContainsKey).Select(n => _processors[n])];
        // A failed run's state is not written: the partitions' next owner restores them from the store.
        if (!_abandoned)
            Checkpoint(revoked, time.GetUtcNow(), commit: false);
        lock (_processors)
        {
            foreach (int n in numbers)
            {
                _processors.Remove(n);
                _lastCheckpoint.Remove(n);
            }
        }

        // The partitions' new owner reports their lag from now on; a stale value here would keep lag alerts firing.
        foreach (var p in partitions)
            MonitoringMetrics.ConsumerLag.RemoveLabelled(p.Topic, p.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        LogRevoked(string.Join(",", numbers));
    }

    // On lane `lane`: its partitions whose checkpoint is due (or all of them, forced). The lane goes on applying
    // records while the checkpoint is written; the next one waits for it (forced, or once a partition holds twice
    // CheckpointRecords: memory stays bounded when the store is slower than the stream). Called at every housekeeping
    // tick, and by ApplyBatch as soon as a partition reaches CheckpointRecords between ticks.
    // `catchingUp`: the partitions still reading a backlog (not idle, whatever their models' clocks say); null between
    // housekeeping ticks, when the lane does not know and idle clocks do not move.
    private void CheckpointDue(int lane, DateTimeOffset now, bool force, IReadOnlySet<int>? catchingUp)
    {
        CompleteInFlight(lane, wait: force);
        List<PartitionProcessor> due;
        lock (_processors)
        {
            var mine = _processors.Values.Where(p => p.Partition % _lanes.Length == lane).ToList();
            if (catchingUp is not null)
            {
                foreach (var p in mine)
                    p.AdvanceIdle(now, catchingUp.Contains(p.Partition));
            }

            due = [.. mine.Where(p => force
                || p.RecordsSinceCheckpoint >= _options.CheckpointRecords
                || now - _lastCheckpoint.GetValueOrDefault(p.Partition) >= _options.CheckpointInterval)];
        }

        if (due.Count == 0)
            return;
        // (Forced, the one in flight has been waited for above.)
        if (_inFlight[lane] is not null)
        {
            if (!due.Any(p => p.RecordsSinceCheckpoint >= 2L * _options.CheckpointRecords))
                return;
            long started = System.Diagnostics.Stopwatch.GetTimestamp();
            CompleteInFlight(lane, wait: true);
            MonitoringMetrics.CheckpointWaits.Inc(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        }

        if (force)
            Checkpoint(due, now, commit: true);
        else
            _inFlight[lane] = BeginCheckpoint(due, now, commit: true);
    }

    // Writes a checkpoint of the processors and waits for it (their lanes are idle, or this is their lane).
    private void Checkpoint(IReadOnlyList<PartitionProcessor> processors, DateTimeOffset now, bool commit)
    {
        if (BeginCheckpoint(processors, now, commit) is { } checkpoint)
            EndCheckpoint(checkpoint);
    }

    /// <summary>A lane's checkpoint being written (at most one per lane), and what to do once it has committed.</summary>
    private sealed record InFlightCheckpoint(IReadOnlyList<PartitionProcessor> Processors, IReadOnlyList<Storage.Monitoring.MonitorCheckpoint> Checkpoints, bool Commit, Task<int[]> Write);

    private InFlightCheckpoint?[] _inFlight = [];

    // Takes the processors' checkpoints and starts writing them, in one transaction for every due partition: one
    // commit (and at most one wait for the disk) however many partitions.
    private InFlightCheckpoint? BeginCheckpoint(IReadOnlyList<PartitionProcessor> processors, DateTimeOffset now, bool commit)
    {
        if (processors.Count == 0)
            return null;
        var checkpoints = processors.Select(p => p.CreateCheckpoint(now)).ToList();
        lock (_processors)
        {
            foreach (var p in processors)
                _lastCheckpoint[p.Partition] = now;
        }

        return new InFlightCheckpoint(processors, checkpoints, commit, Task.Run(() => WriteAsync(processors, checkpoints)));
    }

    private async Task<int[]> WriteAsync(IReadOnlyList<PartitionProcessor> processors, List<Storage.Monitoring.MonitorCheckpoint> checkpoints)
    {
        // Rejected records must be in the DLQ before the offsets that skip them are stored. If one could not be
        // written, stop without storing: the restart reads it again from the last checkpoint, so nothing is lost.
        _dlqProducer?.Flush(TimeSpan.FromSeconds(30));
        if (Volatile.Read(ref _dlqFailures) > 0)
            throw new DeadLetterUnavailableException("A rejected record could not be written to the dead-letter topic; the run stops without checkpointing, so that the next one reads it again.");
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            // Replayable: the offsets are in the same transaction, so a commit lost to a power cut is read again.
            int[] expired = await database.InTransactionAsync(
                async (c, tx) =>
                {
                    int[] counts = new int[checkpoints.Count];
                    for (int i = 0; i < checkpoints.Count; i++)
                        counts[i] = await store.SaveCheckpointAsync(c, tx, checkpoints[i]);
                    return counts;
                },
                replayable: true);
            MonitoringMetrics.CheckpointDuration.Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            return expired;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store may hold this checkpoint or not (a commit whose answer was lost): writing the state in memory
            // again could count it twice. The run ends; the next one restores what the store holds.
            string partitions = string.Join(",", processors.Select(p => p.Partition));
            LogCheckpointFailed(e, partitions);
            throw new CheckpointFailedException($"The checkpoint of partitions {partitions} failed.", e);
        }
    }

    // Waits for a checkpoint's write and lets its processors forget what it stored (on their lane, or while it is
    // idle); a failed write is rethrown, and the run ends.
    private void EndCheckpoint(InFlightCheckpoint checkpoint)
    {
        int[] expired = checkpoint.Write.GetAwaiter().GetResult();
        for (int i = 0; i < checkpoint.Processors.Count; i++)
        {
            checkpoint.Processors[i].CheckpointCommitted(expired[i]);
            if (expired[i] > 0)
                MonitoringMetrics.JoinExpired.Inc(expired[i]);
            MonitoringMetrics.Checkpoints.Inc();
        }

        // Kafka's copy of the offsets (for lag tools) is committed by the consumer thread.
        if (checkpoint.Commit)
        {
            foreach (var o in checkpoint.Checkpoints.SelectMany(c => c.Offsets))
                _checkpointedOffsets.Enqueue(new TopicPartitionOffset(o.Topic, o.Partition, o.NextOffset));
        }
    }

    // On the lane: ends its checkpoint in flight if it has been written (or once it has, waiting).
    private void CompleteInFlight(int lane, bool wait)
    {
        if (_inFlight[lane] is not { } checkpoint || (!wait && !checkpoint.Write.IsCompleted))
            return;
        _inFlight[lane] = null;
        EndCheckpoint(checkpoint);
    }

    // While the lanes are idle: waits for every checkpoint in flight and, if `apply`, ends it (a failure is rethrown);
    // else only waits, so that no write of a failed run outlives it.
    private void FinishInFlight(bool apply)
    {
        for (int lane = 0; lane < _inFlight.Length; lane++)
        {
            if (_inFlight[lane] is not { } checkpoint)
                continue;
            _inFlight[lane] = null;
            if (apply)
            {
                EndCheckpoint(checkpoint);
                continue;
            }

            try
            {
                checkpoint.Write.GetAwaiter().GetResult();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Logged where it failed; the run is being given up anyway.
            }
        }
    }

    private void Close(IConsumer<byte[], byte[]> consumer)
    {
        try
        {
            consumer.Close();
        }
        catch (KafkaException e)
        {
            LogKafkaError(e.Error.Code, e.Error.Reason);
        }
    }

    // Exports each owned topic partition's lag, and returns the partitions catching up on a backlog: behind the end
    // of a topic, reading on since the last look, and reading records older than the idle timeout (by their Kafka
    // timestamps). Live traffic a little behind is not a backlog: a model quiet there still goes idle. Nor is a
    // position stuck short of the end (as a transaction marker can leave it): it must not keep windows open for ever.
    private HashSet<int> ExportLag(IConsumer<byte[], byte[]> consumer, DateTimeOffset now)
    {
        var catchingUp = new HashSet<int>();
        long old = (now - _options.IdleTimeout).ToUnixTimeMilliseconds();
        var assignment = consumer.Assignment;
        foreach (var tp in assignment)
        {
            var watermarks = consumer.GetWatermarkOffsets(tp);
            long position = consumer.Position(tp).Value;
            if (watermarks.High.Value < 0 || position < 0)
                continue;
            long lag = watermarks.High.Value - position;
            MonitoringMetrics.ConsumerLag.WithLabels(tp.Topic, tp.Partition.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).Set(lag);
            bool readOn = !_positions.TryGetValue(tp, out long last) || position > last;
            _positions[tp] = position;
            if (lag > 0 && readOn && _readAt.TryGetValue(tp.Partition.Value, out long readAt) && readAt < old)
                catchingUp.Add(tp.Partition.Value);
        }

        if (_positions.Count > assignment.Count)
        {
            foreach (var gone in _positions.Keys.Except(assignment).ToList())
                _positions.Remove(gone);
        }

        return catchingUp;
    }

    // Each owned topic partition's position at the last look, and by partition the Kafka timestamp of the record read
    // last (consumer thread only).
    private readonly Dictionary<TopicPartition, long> _positions = [];
    private readonly Dictionary<int, long> _readAt = [];

    private static readonly IReadOnlySet<int> NoPartitions = new HashSet<int>();

    private async Task ReadTopologyAsync(CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = _options.BootstrapServers }).Build();
        var metadata = admin.GetMetadata(_options.PredictionsTopic, TimeSpan.FromSeconds(30));
        int count = metadata.Topics.FirstOrDefault(t => t.Topic == _options.PredictionsTopic)?.Partitions.Count ?? 0;
        if (count == 0)
            throw new InvalidOperationException($"Topic {_options.PredictionsTopic} does not exist on {_options.BootstrapServers}.");
        topology.SetPartitions(count);
    }
}
