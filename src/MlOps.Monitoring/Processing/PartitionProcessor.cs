using System.Text.Json;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Windows;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>
/// The state of one partition pair (predictions p, outcomes p): open window partials, join state and event-time
/// watermarks — one per model seen here, moved by that model's own events, so that one model's backfill of old
/// events is windowed by its event time whatever the other models' live traffic does. It applies validated events in offset order and produces checkpoints; everything it decides
/// depends only on the events and their order, so a replay from a checkpoint reproduces the same state exactly.
/// </summary>
public sealed class PartitionProcessor
{
    private readonly Dictionary<WindowKey, WindowPartial> _open = [];
    private readonly HashSet<WindowKey> _dirty = [];
    private readonly Dictionary<WindowKey, WindowPartial> _lateLabels = [];
    private readonly Dictionary<string, PendingPrediction> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitingOutcome> _waiting = new(StringComparer.Ordinal);
    // Per model, its pending prediction ids in arrival order: expired by the model's own watermark.
    private readonly Dictionary<string, Queue<string>> _pendingOrder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ModelClock> _clocks = new(StringComparer.Ordinal);
    private readonly List<JoinChange> _changes = [];
    private readonly IModelCatalog _catalog;
    private readonly MonitoringOptions _options;
    private readonly GroupWatermarks _group;
    private long _joinSequence;

    // Whether the checkpoint in flight took a join-log sequence number (only one with join changes does).
    private bool _sequenceTaken;
    private long _lastEventAt;

    public PartitionProcessor(string consumerGroup, int partition, IModelCatalog catalog, MonitoringOptions options, GroupWatermarks? group = null)
    {
        ConsumerGroup = consumerGroup;
        Partition = partition;
        _catalog = catalog;
        _options = options;
        _group = group ?? new GroupWatermarks();
    }

    public string ConsumerGroup { get; }

    public int Partition { get; }

    /// <summary>
    /// The partition's watermark over all models: the highest event time seen (Unix ms), or advanced by the clock
    /// while the partition is idle. It bounds the windows of models that have no events on this partition.
    /// </summary>
    public long Watermark { get; private set; } = long.MinValue;

    /// <summary>
    /// This partition's watermark for <paramref name="model"/>: the highest event time of the model's own predictions
    /// here, or advanced by the clock once the model has been idle here; <see cref="long.MinValue"/> before its first.
    /// </summary>
    public long WatermarkOf(string model) => _clocks.TryGetValue(model, out var clock) ? clock.Watermark : long.MinValue;

    /// <summary>Next offsets to read, by topic (what a checkpoint stores).</summary>
    public Dictionary<string, long> NextOffsets { get; } = new(StringComparer.Ordinal);

    /// <summary>Records applied since the last checkpoint.</summary>
    public int RecordsSinceCheckpoint { get; private set; }

    public int OpenWindows => _open.Count;

    public int PendingCount => _pending.Count;

    /// <summary>Counters since start, for metrics and tests.</summary>
    public long Duplicates { get; private set; }

    public long TooLate { get; private set; }

    public long Evicted { get; private set; }

    /// <summary>Event-time delay between the prediction and the outcome last joined.</summary>
    public TimeSpan? LastLabelDelay { get; private set; }

    /// <summary>Applies a valid prediction read at <paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public ProcessResult OnPrediction(PredictionEvent e, ModelContext model, string topic, long offset)
    {
        Advance(topic, offset);
        long eventTime = e.Timestamp.ToUnixTimeMilliseconds();
        if (_pending.ContainsKey(e.PredictionId))
        {
            Duplicates++;
            return ProcessResult.Duplicate;
        }

        var key = WindowKey.For(e.Model, e.ModelVersion, e.Timestamp, model.WindowSize);
        Watermark = Math.Max(Watermark, eventTime);
        Observe(e.Model, eventTime);
        if (IsClosed(key, model))
        {
            TooLate++;
            return ProcessResult.TooLate;
        }

        var partial = Partial(key, model);
        partial.AddPrediction(e.Features, e.Prediction, e.LatencyMs);
        _dirty.Add(key);

        string label = e.Prediction.ToString();
        double? number = e.Prediction.Kind == ScalarKind.Number ? e.Prediction.Number : null;
        bool joined = false;
        if (_waiting.Remove(e.PredictionId, out var outcome))
        {
            partial.AddOutcome(Parse(outcome.Actual, outcome.ActualNumber), e.Prediction, e.Score, model.Schema.PositiveClass);
            _changes.Add(new JoinChange(JoinChange.RemoveOutcome, null, null, e.PredictionId));
            joined = true;
        }

        var pending = new PendingPrediction(e.PredictionId, key, label, number, e.Score, eventTime, joined);
        _pending[e.PredictionId] = pending;
        Enqueue(e.Model, e.PredictionId);
        _changes.Add(new JoinChange(JoinChange.AddPrediction, ToEntry(pending), null, null));
        EvictOverflow();
        return joined ? ProcessResult.Joined : ProcessResult.Counted;
    }

    /// <summary>Applies a valid outcome read at <paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public ProcessResult OnOutcome(OutcomeEvent e, ModelContext model, string topic, long offset)
    {
        Advance(topic, offset);
        if (!_pending.TryGetValue(e.PredictionId, out var prediction))
        {
            if (_waiting.ContainsKey(e.PredictionId))
            {
                Duplicates++;
                return ProcessResult.Duplicate;
            }

            var waiting = new WaitingOutcome(e.PredictionId, e.Model, e.Actual.ToString(), e.Actual.Kind == ScalarKind.Number ? e.Actual.Number : null, e.Timestamp.ToUnixTimeMilliseconds());
            _waiting[e.PredictionId] = waiting;
            _changes.Add(new JoinChange(JoinChange.AddOutcome, null, waiting, null));
            return ProcessResult.Waiting;
        }

        if (prediction.Joined)
        {
            Duplicates++;
            return ProcessResult.Duplicate;
        }

        LastLabelDelay = TimeSpan.FromMilliseconds(Math.Max(0, e.Timestamp.ToUnixTimeMilliseconds() - prediction.EventTime));
        var joined = prediction with { Joined = true };
        _pending[e.PredictionId] = joined;
        _changes.Add(new JoinChange(JoinChange.AddPrediction, ToEntry(joined), null, null));
        var predicted = prediction.PredictionNumber is { } n ? Scalar.Of(n) : Scalar.Of(prediction.Prediction);
        if (IsClosed(prediction.Window, model))
        {
            // The window is closed here: the label is kept apart and added to the closed window's performance.
            if (!_lateLabels.TryGetValue(prediction.Window, out var late))
            {
                late = new WindowPartial(prediction.Window, model.Schema.Task, new Statistics.Profiles.DatasetProfile(), model.NewPredictionProfile());
                _lateLabels[prediction.Window] = late;
            }

            late.AddOutcome(e.Actual, predicted, prediction.Score, model.Schema.PositiveClass);
            return ProcessResult.LateLabel;
        }

        Partial(prediction.Window, model).AddOutcome(e.Actual, predicted, prediction.Score, model.Schema.PositiveClass);
        _dirty.Add(prediction.Window);
        return ProcessResult.Joined;
    }

    /// <summary>Moves past a record that was not applied (sent to the DLQ).</summary>
    public void Skip(string topic, long offset) => Advance(topic, offset);

    /// <summary>
    /// Lets watermarks follow the clock where nothing arrives (so windows still close when a stream stops): the
    /// partition's once the partition has been idle, a model's once that model has been idle here (wall clock).
    /// </summary>
    public void AdvanceIdle(DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long idle = (long)_options.IdleTimeout.TotalMilliseconds;
        if (_lastEventAt == 0)
            _lastEventAt = nowMs;
        if (nowMs - _lastEventAt >= idle)
            Watermark = Math.Max(Watermark, nowMs - idle);
        foreach (var clock in _clocks.Values)
        {
            if (clock.LastEventAt == 0)
                clock.LastEventAt = nowMs;
            if (nowMs - clock.LastEventAt >= idle && nowMs - idle > clock.Watermark)
            {
                clock.Watermark = nowMs - idle;
                clock.Dirty = true;
            }
        }
    }

    /// <summary>Marks that records arrived now (idle tracking uses the wall clock, not event times).</summary>
    public void Touch(DateTimeOffset now) => _lastEventAt = now.ToUnixTimeMilliseconds();

    /// <summary>
    /// The checkpoint of everything applied since the last one: changed partials (closed ones are then dropped from
    /// memory), the join-log entry, the watermark and the next offsets.
    /// </summary>
    public MonitorCheckpoint CreateCheckpoint(DateTimeOffset now)
    {
        long at = now.ToUnixTimeMilliseconds();
        ExpireJoinState();
        var partials = _dirty.Select(k => new PartialRow
        {
            ConsumerGroup = ConsumerGroup,
            Model = k.Model,
            Version = k.Version,
            WindowStart = k.Start,
            WindowEnd = k.End,
            Partition = Partition,
            Payload = WindowPartialSerializer.Serialize(_open[k]),
            UpdatedAt = at,
        }).ToList();
        JoinLogRow? log = null;
        if (_changes.Count > 0)
        {
            log = new JoinLogRow { ConsumerGroup = ConsumerGroup, Partition = Partition, Sequence = ++_joinSequence, Payload = JsonSerializer.Serialize(_changes, JoinJsonContext.Default.ListJoinChange) };
        }

        _sequenceTaken = log is not null;

        var offsets = NextOffsets.Select(kv => new OffsetRow { ConsumerGroup = ConsumerGroup, Topic = kv.Key, Partition = Partition, NextOffset = kv.Value, UpdatedAt = at }).ToList();
        // A late label always changes the join state, so this checkpoint has a join-log sequence to key its rows.
        var labels = _lateLabels.Select(kv => new LabelPartialRow
        {
            ConsumerGroup = ConsumerGroup,
            Model = kv.Key.Model,
            Version = kv.Key.Version,
            WindowStart = kv.Key.Start,
            WindowEnd = kv.Key.End,
            Partition = Partition,
            Sequence = _joinSequence,
            Payload = WindowPartialSerializer.SerializePerformance(kv.Value),
        }).ToList();
        var models = _clocks.Where(kv => kv.Value.Dirty).Select(kv => new ModelWatermarkRow
        {
            ConsumerGroup = ConsumerGroup,
            Model = kv.Key,
            Partition = Partition,
            Watermark = kv.Value.Watermark,
            UpdatedAt = at,
        }).ToList();
        return new MonitorCheckpoint(ConsumerGroup, Partition, at, Watermark == long.MinValue ? 0 : Watermark, partials, log, offsets)
        {
            LabelPartials = labels,
            ModelWatermarks = models,
        };
    }

    /// <summary>Call after the checkpoint committed: forgets what it wrote, and partials of closed windows.</summary>
    public void CheckpointCommitted()
    {
        _lateLabels.Clear();
        _dirty.Clear();
        _changes.Clear();
        _sequenceTaken = false;
        RecordsSinceCheckpoint = 0;
        foreach (var clock in _clocks.Values)
            clock.Dirty = false;
        foreach (var key in _open.Keys.ToList())
        {
            if (_catalog.Find(key.Model) is { } model && IsClosed(key, model))
                _open.Remove(key);
        }
    }

    /// <summary>Call when a checkpoint failed: the next one must rewrite everything still in memory.</summary>
    public void CheckpointFailed()
    {
        foreach (var key in _open.Keys)
            _dirty.Add(key);
        foreach (var clock in _clocks.Values)
            clock.Dirty = true;
        // Give back only a number this checkpoint took: an empty one took none, and decrementing anyway would make the
        // next join-log insert reuse a stored sequence and fail on the key forever.
        if (_sequenceTaken)
            _joinSequence--;
        _sequenceTaken = false;
    }

    /// <summary>The join state as one snapshot entry (for log compaction).</summary>
    public string JoinSnapshot() => JsonSerializer.Serialize(
        [.. _pending.Values.Select(p => new JoinChange(JoinChange.AddPrediction, ToEntry(p), null, null)), .. _waiting.Values.Select(o => new JoinChange(JoinChange.AddOutcome, null, o, null))],
        JoinJsonContext.Default.ListJoinChange);

    public long JoinSequence => _joinSequence;

    /// <summary>Restores the state of the last checkpoint (partials, join log, watermarks, offsets).</summary>
    public void Restore(IEnumerable<PartialRow> partials, IEnumerable<JoinLogRow> joinLog, long watermark, IEnumerable<OffsetRow> offsets, IEnumerable<ModelWatermarkRow>? models = null)
    {
        foreach (var row in models ?? [])
            _clocks[row.Model] = new ModelClock { Watermark = row.Watermark };

        foreach (var row in partials)
        {
            var key = new WindowKey(row.Model, row.Version, row.WindowStart, row.WindowEnd);
            _open[key] = WindowPartialSerializer.Deserialize(key, row.Payload);
        }

        foreach (var row in joinLog)
        {
            _joinSequence = Math.Max(_joinSequence, row.Sequence);
            foreach (var change in JsonSerializer.Deserialize(row.Payload, JoinJsonContext.Default.ListJoinChange) ?? [])
                Apply(change);
        }

        Watermark = watermark == 0 ? long.MinValue : watermark;
        foreach (var o in offsets.Where(o => o.Partition == Partition))
            NextOffsets[o.Topic] = o.NextOffset;
    }

    /// <summary>Open partials (for tests and the closer's view of this instance).</summary>
    public IReadOnlyDictionary<WindowKey, WindowPartial> Partials => _open;

    /// <summary>Whether the window is final here: this partition's watermark for its model has passed its end plus the allowed lateness.</summary>
    internal bool IsClosed(WindowKey key, ModelContext model)
    {
        long watermark = WatermarkOf(key.Model);
        return watermark != long.MinValue && key.End + (long)model.AllowedLateness.TotalMilliseconds <= watermark;
    }

    // A model's first event here starts its watermark at the event's time, or where the group has already closed the
    // model's windows (so a partition never reopens them) — never at another model's time.
    private void Observe(string model, long eventTime)
    {
        if (!_clocks.TryGetValue(model, out var clock))
        {
            clock = new ModelClock { Watermark = _group.Of(model), Dirty = true };
            _clocks[model] = clock;
        }

        clock.LastEventAt = _lastEventAt;
        if (eventTime > clock.Watermark)
        {
            clock.Watermark = eventTime;
            clock.Dirty = true;
        }
    }

    private void Enqueue(string model, string predictionId)
    {
        if (!_pendingOrder.TryGetValue(model, out var queue))
        {
            queue = new Queue<string>();
            _pendingOrder[model] = queue;
        }

        queue.Enqueue(predictionId);
    }

    private WindowPartial Partial(WindowKey key, ModelContext model)
    {
        if (!_open.TryGetValue(key, out var partial))
        {
            var (features, referenceVersion) = model.NewFeatureProfile(key.Version);
            partial = new WindowPartial(key, model.Schema.Task, features, model.NewPredictionProfile()) { ReferenceVersion = referenceVersion };
            _open[key] = partial;
        }

        return partial;
    }

    private void Advance(string topic, long offset)
    {
        NextOffsets[topic] = offset + 1;
        RecordsSinceCheckpoint++;
    }

    private void Apply(JoinChange change)
    {
        switch (change.Kind)
        {
            case JoinChange.AddPrediction when change.Prediction is { } p:
                bool isNew = !_pending.ContainsKey(p.Id);
                _pending[p.Id] = new PendingPrediction(p.Id, new WindowKey(p.Model, p.Version, p.WindowStart, p.WindowEnd), p.Prediction, p.PredictionNumber, p.Score, p.EventTime, p.Joined);
                if (isNew)
                    Enqueue(p.Model, p.Id);
                break;
            case JoinChange.AddOutcome when change.Outcome is { } o:
                _waiting[o.Id] = o;
                break;
            case JoinChange.RemovePrediction when change.RemovedId is { } id:
                _pending.Remove(id);
                break;
            case JoinChange.RemoveOutcome when change.RemovedId is { } id:
                _waiting.Remove(id);
                break;
        }
    }

    // Join state older than the pending TTL behind its model's watermark is dropped (outcomes whose model has no
    // predictions here yet go by the partition's watermark).
    private void ExpireJoinState()
    {
        long ttl = (long)_options.PendingTtl.TotalMilliseconds;
        foreach (var (model, queue) in _pendingOrder)
        {
            long watermark = WatermarkOf(model);
            if (watermark == long.MinValue)
                continue;
            long horizon = watermark - ttl;
            while (queue.TryPeek(out var id))
            {
                if (_pending.TryGetValue(id, out var p) && p.EventTime >= horizon)
                    break;
                queue.Dequeue();
                if (_pending.Remove(id))
                    _changes.Add(new JoinChange(JoinChange.RemovePrediction, null, null, id));
            }
        }

        foreach (var (id, o) in _waiting.ToList())
        {
            long watermark = _clocks.TryGetValue(o.Model, out var clock) ? clock.Watermark : Watermark;
            if (watermark == long.MinValue || o.EventTime >= watermark - ttl)
                continue;
            _waiting.Remove(id);
            _changes.Add(new JoinChange(JoinChange.RemoveOutcome, null, null, o.Id));
        }
    }

    // Over the limit, the oldest pending prediction (by event time, across models) goes first.
    private void EvictOverflow()
    {
        while (_pending.Count > _options.MaxPendingPerPartition)
        {
            Queue<string>? oldest = null;
            long oldestTime = long.MaxValue;
            foreach (var queue in _pendingOrder.Values)
            {
                while (queue.TryPeek(out var stale) && !_pending.ContainsKey(stale))
                    queue.Dequeue();
                if (queue.TryPeek(out var head) && _pending[head].EventTime < oldestTime)
                {
                    oldest = queue;
                    oldestTime = _pending[head].EventTime;
                }
            }

            if (oldest is null)
                return;
            string id = oldest.Dequeue();
            _pending.Remove(id);
            Evicted++;
            _changes.Add(new JoinChange(JoinChange.RemovePrediction, null, null, id));
        }
    }

    private sealed class ModelClock
    {
        public long Watermark = long.MinValue;

        // Wall clock (Unix ms) of the model's last event here; 0 until the first idle check.
        public long LastEventAt;

        // Moved since the last committed checkpoint.
        public bool Dirty;
    }

    private static PendingEntry ToEntry(PendingPrediction p) =>
        new(p.PredictionId, p.Window.Model, p.Window.Version, p.Window.Start, p.Window.End, p.Prediction, p.PredictionNumber, p.Score, p.EventTime, p.Joined);

    private static Scalar Parse(string text, double? number) => number is { } n ? Scalar.Of(n) : Scalar.Of(text);
}
