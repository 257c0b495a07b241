using System.Text.Json;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Windows;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>
/// The state of one partition pair (predictions p, outcomes p): open window partials, join state and the
/// event-time watermark. It applies validated events in offset order and produces checkpoints; everything it decides
/// depends only on the events and their order, so a replay from a checkpoint reproduces the same state exactly.
/// </summary>
public sealed class PartitionProcessor
{
    private readonly Dictionary<WindowKey, WindowPartial> _open = [];
    private readonly HashSet<WindowKey> _dirty = [];
    private readonly Dictionary<WindowKey, WindowPartial> _lateLabels = [];
    private readonly Dictionary<string, PendingPrediction> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitingOutcome> _waiting = new(StringComparer.Ordinal);
    private readonly Queue<string> _pendingOrder = new();
    private readonly List<JoinChange> _changes = [];
    private readonly IModelCatalog _catalog;
    private readonly MonitoringOptions _options;
    private long _joinSequence;

    // Whether the checkpoint in flight took a join-log sequence number (only one with join changes does).
    private bool _sequenceTaken;
    private long _lastEventAt;

    public PartitionProcessor(string consumerGroup, int partition, IModelCatalog catalog, MonitoringOptions options)
    {
        ConsumerGroup = consumerGroup;
        Partition = partition;
        _catalog = catalog;
        _options = options;
    }

    public string ConsumerGroup { get; }

    public int Partition { get; }

    /// <summary>The highest event time seen (Unix ms), or advanced by the clock while the partition is idle.</summary>
    public long Watermark { get; private set; } = long.MinValue;

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
        _pendingOrder.Enqueue(e.PredictionId);
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

    /// <summary>Lets the watermark follow the clock when the partition has been idle (so its windows can close).</summary>
    public void AdvanceIdle(DateTimeOffset now)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        if (_lastEventAt == 0)
            _lastEventAt = nowMs;
        if (nowMs - _lastEventAt >= (long)_options.IdleTimeout.TotalMilliseconds)
            Watermark = Math.Max(Watermark, nowMs - (long)_options.IdleTimeout.TotalMilliseconds);
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
        return new MonitorCheckpoint(ConsumerGroup, Partition, at, Watermark == long.MinValue ? 0 : Watermark, partials, log, offsets) { LabelPartials = labels };
    }

    /// <summary>Call after the checkpoint committed: forgets what it wrote, and partials of closed windows.</summary>
    public void CheckpointCommitted()
    {
        _lateLabels.Clear();
        _dirty.Clear();
        _changes.Clear();
        _sequenceTaken = false;
        RecordsSinceCheckpoint = 0;
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

    /// <summary>Restores the state of the last checkpoint (partials, join log, watermark, offsets).</summary>
    public void Restore(IEnumerable<PartialRow> partials, IEnumerable<JoinLogRow> joinLog, long watermark, IEnumerable<OffsetRow> offsets)
    {
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

    internal bool IsClosed(WindowKey key, ModelContext model) =>
        Watermark != long.MinValue && key.End + (long)model.AllowedLateness.TotalMilliseconds <= Watermark;

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
                    _pendingOrder.Enqueue(p.Id);
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

    private void ExpireJoinState()
    {
        if (Watermark == long.MinValue)
            return;
        long horizon = Watermark - (long)_options.PendingTtl.TotalMilliseconds;
        while (_pendingOrder.TryPeek(out var id))
        {
            if (_pending.TryGetValue(id, out var p) && p.EventTime >= horizon)
                break;
            _pendingOrder.Dequeue();
            if (_pending.Remove(id))
                _changes.Add(new JoinChange(JoinChange.RemovePrediction, null, null, id));
        }

        foreach (var (id, o) in _waiting.Where(kv => kv.Value.EventTime < horizon).ToList())
        {
            _waiting.Remove(id);
            _changes.Add(new JoinChange(JoinChange.RemoveOutcome, null, null, o.Id));
        }
    }

    private void EvictOverflow()
    {
        while (_pending.Count > _options.MaxPendingPerPartition && _pendingOrder.TryDequeue(out var id))
        {
            if (_pending.Remove(id))
            {
                Evicted++;
                _changes.Add(new JoinChange(JoinChange.RemovePrediction, null, null, id));
            }
        }
    }

    private static PendingEntry ToEntry(PendingPrediction p) =>
        new(p.PredictionId, p.Window.Model, p.Window.Version, p.Window.Start, p.Window.End, p.Prediction, p.PredictionNumber, p.Score, p.EventTime, p.Joined);

    private static Scalar Parse(string text, double? number) => number is { } n ? Scalar.Of(n) : Scalar.Of(text);
}
