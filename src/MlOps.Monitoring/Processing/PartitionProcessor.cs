using System.Text.Json;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Windows;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>
/// The state of one partition pair (predictions p, outcomes p): open window partials, join state and event-time
/// watermarks. The join state lives in the store (<c>pending_predictions</c>, <c>waiting_outcomes</c>); memory holds
/// what changed since the last checkpoint (authoritative over the store) and a bounded cache of committed entries
/// (<see cref="MonitoringOptions.JoinCacheEntries"/>), so memory stays flat whatever the traffic and the pending TTL.
/// Ids not in memory are looked up in the store, in one query per poll batch (<see cref="Prefetch"/>). Event-time
/// watermarks — one per model seen here, moved by that model's own events, so that one model's backfill of old
/// events is windowed by its event time whatever the other models' live traffic does. It applies validated events in offset order and produces checkpoints; everything it decides
/// depends only on the events and their order, so a replay from a checkpoint reproduces the same state exactly.
/// </summary>
public sealed class PartitionProcessor
{
    private readonly Dictionary<WindowKey, WindowPartial> _open = [];
    private readonly HashSet<WindowKey> _dirty = [];
    private readonly Dictionary<WindowKey, WindowPartial> _lateLabels = [];
    // Join state in memory: committed entries (a bounded cache) and the changes since the last checkpoint.
    private readonly Dictionary<string, PendingPrediction> _pending = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitingOutcome> _waiting = new(StringComparer.Ordinal);
    private Dictionary<string, PendingPrediction> _pendingChanged = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WaitingOutcome> _waitingAdded = new(StringComparer.Ordinal);
    private HashSet<string> _waitingRemoved = new(StringComparer.Ordinal);
    private readonly List<JoinedExample> _examples = [];
    // What the checkpoint being written changes (null: none in flight). Until it commits, the store does not show it:
    // its predictions stay in memory, and its deleted waiting outcomes are not read back from the store.
    private Dictionary<string, PendingPrediction>? _pendingInFlight;
    private HashSet<string>? _waitingRemovedInFlight;
    // Ids looked up in the store and found in neither table (memory is authoritative for them now).
    private readonly HashSet<string> _absent = new(StringComparer.Ordinal);
    // Cache entries in the order they came into memory: the oldest are evicted first.
    private readonly Queue<string> _cacheOrder = new();
    // The oldest event time among cached entries (or lower): while the expiry horizon is behind it, nothing expires.
    private long _oldestCached = long.MaxValue;
    private readonly Dictionary<string, ModelClock> _clocks = new(StringComparer.Ordinal);
    private readonly IModelCatalog _catalog;
    private readonly MonitoringOptions _options;
    private readonly GroupWatermarks _group;
    private readonly IJoinStateReader? _store;

    // Each checkpoint takes the next number (it keys the late labels it writes); a failed one gives it back.
    private long _sequence;
    private long _lastEventAt;

    /// <summary>A partition's state; <paramref name="store"/> is where committed join state is looked up (null: none, memory only).</summary>
    public PartitionProcessor(string consumerGroup, int partition, IModelCatalog catalog, MonitoringOptions options, GroupWatermarks? group = null, IJoinStateReader? store = null)
    {
        ConsumerGroup = consumerGroup;
        Partition = partition;
        _catalog = catalog;
        _options = options;
        _group = group ?? new GroupWatermarks();
        _store = store;
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

    /// <summary>Records applied since the last checkpoint was taken.</summary>
    public int RecordsSinceCheckpoint { get; private set; }

    /// <summary>Whether a checkpoint has been taken (<see cref="CreateCheckpoint"/>) and not yet committed.</summary>
    public bool CheckpointInFlight => _pendingInFlight is not null;

    public int OpenWindows => _open.Count;

    /// <summary>Join-state entries in memory (cache and uncommitted changes); bounded by <see cref="MonitoringOptions.JoinCacheEntries"/> after each checkpoint.</summary>
    public int JoinEntriesInMemory => _pending.Count + _waiting.Count;

    /// <summary>Join-state rows expired from the store by the last committed checkpoint.</summary>
    public int LastExpired { get; private set; }

    /// <summary>The last checkpoint's sequence number.</summary>
    public long Sequence => _sequence;

    /// <summary>Counters since start, for metrics and tests.</summary>
    public long Duplicates { get; private set; }

    public long TooLate { get; private set; }

    /// <summary>Event-time delay between the prediction and the outcome last joined.</summary>
    public TimeSpan? LastLabelDelay { get; private set; }

    /// <summary>Applies a valid prediction read at <paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public ProcessResult OnPrediction(PredictionEvent e, ModelContext model, string topic, long offset)
    {
        Advance(topic, offset);
        long eventTime = e.Timestamp.ToUnixTimeMilliseconds();
        if (FindPending(e.PredictionId) is not null)
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
        if (FindWaiting(e.PredictionId) is { } outcome)
        {
            partial.AddOutcome(Parse(outcome.Actual, outcome.ActualNumber), e.Prediction, e.Score, model.Schema.PositiveClass);
            _waiting.Remove(e.PredictionId);
            if (!_waitingAdded.Remove(e.PredictionId))
                _waitingRemoved.Add(e.PredictionId);
            _examples.Add(new JoinedExample(e.PredictionId, outcome.Actual, outcome.ActualNumber));
            joined = true;
        }

        var pending = new PendingPrediction(e.PredictionId, key, label, number, e.Score, eventTime, joined) { Features = FeaturesJson(e) };
        _pending[e.PredictionId] = pending;
        _pendingChanged[e.PredictionId] = pending;
        _cacheOrder.Enqueue(e.PredictionId);
        _oldestCached = Math.Min(_oldestCached, eventTime);
        return joined ? ProcessResult.Joined : ProcessResult.Counted;
    }

    /// <summary>Applies a valid outcome read at <paramref name="offset"/> of <paramref name="topic"/>.</summary>
    public ProcessResult OnOutcome(OutcomeEvent e, ModelContext model, string topic, long offset)
    {
        Advance(topic, offset);
        if (FindPending(e.PredictionId) is not { } prediction)
        {
            if (FindWaiting(e.PredictionId) is not null)
            {
                Duplicates++;
                return ProcessResult.Duplicate;
            }

            var waiting = new WaitingOutcome(e.PredictionId, e.Model, e.Actual.ToString(), e.Actual.Kind == ScalarKind.Number ? e.Actual.Number : null, e.Timestamp.ToUnixTimeMilliseconds());
            _waiting[e.PredictionId] = waiting;
            _waitingAdded[e.PredictionId] = waiting;
            _waitingRemoved.Remove(e.PredictionId);
            _cacheOrder.Enqueue(e.PredictionId);
            _oldestCached = Math.Min(_oldestCached, waiting.EventTime);
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
        _pendingChanged[e.PredictionId] = joined;
        _examples.Add(new JoinedExample(e.PredictionId, e.Actual.ToString(), e.Actual.Kind == ScalarKind.Number ? e.Actual.Number : null));
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
    /// While the partition is <paramref name="catchingUp"/> (reading a backlog) nothing here is idle, and the idle
    /// time starts over: a model quiet now may have records further on, and closing its windows would count them too
    /// late (a monitor restarting after an outage, one model among busier ones).
    /// </summary>
    public void AdvanceIdle(DateTimeOffset now, bool catchingUp = false)
    {
        long nowMs = now.ToUnixTimeMilliseconds();
        long idle = (long)_options.IdleTimeout.TotalMilliseconds;
        if (catchingUp)
        {
            _lastEventAt = nowMs;
            foreach (var clock in _clocks.Values)
                clock.LastEventAt = nowMs;
            return;
        }

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
    /// Looks up, in one store query, the ids of a poll batch that memory does not know, so that applying the batch
    /// needs no further query. Found entries join the cache; ids found nowhere are remembered as absent.
    /// </summary>
    public void Prefetch(IEnumerable<string> predictionIds)
    {
        var unknown = predictionIds.Where(id => !_pending.ContainsKey(id) && !_waiting.ContainsKey(id) && !_absent.Contains(id)).Distinct(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
            Load(unknown);
    }

    /// <summary>
    /// Takes the checkpoint of everything applied since the last one: changed partials (closed ones are then dropped
    /// from memory), the join-state changes and expiry, the watermarks and the next offsets. Records may be applied
    /// while it is written: they go into the next one. Call <see cref="CheckpointCommitted"/> once the store holds
    /// it; one checkpoint at a time is in flight (a failed one ends the run: the next restores from the store).
    /// </summary>
    public MonitorCheckpoint CreateCheckpoint(DateTimeOffset now)
    {
        if (CheckpointInFlight)
            throw new InvalidOperationException($"Partition {Partition}: the previous checkpoint has not committed yet.");
        long at = now.ToUnixTimeMilliseconds();
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
        long sequence = ++_sequence;
        var offsets = NextOffsets.Select(kv => new OffsetRow { ConsumerGroup = ConsumerGroup, Topic = kv.Key, Partition = Partition, NextOffset = kv.Value, UpdatedAt = at }).ToList();
        var labels = _lateLabels.Select(kv => new LabelPartialRow
        {
            ConsumerGroup = ConsumerGroup,
            Model = kv.Key.Model,
            Version = kv.Key.Version,
            WindowStart = kv.Key.Start,
            WindowEnd = kv.Key.End,
            Partition = Partition,
            Sequence = sequence,
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
        var checkpoint = new MonitorCheckpoint(ConsumerGroup, Partition, at, Watermark == long.MinValue ? 0 : Watermark, partials, offsets)
        {
            Sequence = sequence,
            LabelPartials = labels,
            ModelWatermarks = models,
            Join = JoinChanges(sequence),
        };

        // What it holds starts over; a closed window gets no more records (they are too late), so its partial goes.
        _lateLabels.Clear();
        _dirty.Clear();
        RecordsSinceCheckpoint = 0;
        foreach (var clock in _clocks.Values)
            clock.Dirty = false;
        foreach (var key in _open.Keys.ToList())
        {
            if (_catalog.Find(key.Model) is { } model && IsClosed(key, model))
                _open.Remove(key);
        }

        _pendingInFlight = _pendingChanged;
        _pendingChanged = new(StringComparer.Ordinal);
        _waitingRemovedInFlight = _waitingRemoved;
        _waitingRemoved = new(StringComparer.Ordinal);
        _waitingAdded.Clear();
        _examples.Clear();
        return checkpoint;
    }

    /// <summary>
    /// Call once the checkpoint taken last is in the store: the cache lets go of its features, of entries past the
    /// TTL, and of the oldest entries beyond its bound — never of one changed since (the store does not have it yet).
    /// </summary>
    public void CheckpointCommitted(int expired = 0)
    {
        if (_pendingInFlight is not { } committed)
            throw new InvalidOperationException($"Partition {Partition}: no checkpoint is in flight.");
        LastExpired = expired;
        // The features are in the store now: the cache keeps what joins and dedupe need.
        foreach (string id in committed.Keys)
        {
            if (!_pendingChanged.ContainsKey(id) && _pending.TryGetValue(id, out var p) && p.Features is not null)
                _pending[id] = p with { Features = null };
        }

        _pendingInFlight = null;
        _waitingRemovedInFlight = null;
        ExpireCache();
        // Entries changed since the checkpoint was taken go to the back of the line: only memory has them.
        for (int left = _cacheOrder.Count; left > 0 && _pending.Count + _waiting.Count > _options.JoinCacheEntries && _cacheOrder.TryDequeue(out var evicted); left--)
        {
            if (IsUncommitted(evicted))
            {
                _cacheOrder.Enqueue(evicted);
                continue;
            }

            _pending.Remove(evicted);
            _waiting.Remove(evicted);
        }

        if (_cacheOrder.Count > 2 * (_pending.Count + _waiting.Count) + 1024)
            RebuildCacheOrder();
        _absent.Clear();
    }

    /// <summary>Restores the state of the last checkpoint (partials, watermarks, offsets); the join state stays in the store.</summary>
    public void Restore(IEnumerable<PartialRow> partials, long watermark, IEnumerable<OffsetRow> offsets, IEnumerable<ModelWatermarkRow>? models = null, long sequence = 0)
    {
        foreach (var row in models ?? [])
            _clocks[row.Model] = new ModelClock { Watermark = row.Watermark };
        foreach (var row in partials)
        {
            var key = new WindowKey(row.Model, row.Version, row.WindowStart, row.WindowEnd);
            _open[key] = WindowPartialSerializer.Deserialize(key, row.Payload);
        }

        _sequence = sequence;
        Watermark = watermark == 0 ? long.MinValue : watermark;
        foreach (var o in offsets.Where(o => o.Partition == Partition))
            NextOffsets[o.Topic] = o.NextOffset;
    }

    /// <summary>
    /// The join state of a join log written by an earlier version (replayed in order), as changes for the store: the
    /// one-time conversion when such a partition is first assigned.
    /// </summary>
    public static JoinStateChanges ConvertJoinLog(string consumerGroup, int partition, IEnumerable<JoinLogRow> joinLog)
    {
        var pending = new Dictionary<string, PendingEntry>(StringComparer.Ordinal);
        var waiting = new Dictionary<string, WaitingOutcome>(StringComparer.Ordinal);
        foreach (var row in joinLog.OrderBy(r => r.Sequence))
        {
            foreach (var change in JsonSerializer.Deserialize(row.Payload, JoinJsonContext.Default.ListJoinChange) ?? [])
            {
                switch (change.Kind)
                {
                    case JoinChange.AddPrediction when change.Prediction is { } p:
                        pending[p.Id] = p;
                        break;
                    case JoinChange.AddOutcome when change.Outcome is { } o:
                        waiting[o.Id] = o;
                        break;
                    case JoinChange.RemovePrediction when change.RemovedId is { } id:
                        pending.Remove(id);
                        break;
                    case JoinChange.RemoveOutcome when change.RemovedId is { } id:
                        waiting.Remove(id);
                        break;
                }
            }
        }

        return new JoinStateChanges
        {
            PendingUpserts = [.. pending.Values.Select(p => Row(consumerGroup, partition, new PendingPrediction(p.Id, new WindowKey(p.Model, p.Version, p.WindowStart, p.WindowEnd), p.Prediction, p.PredictionNumber, p.Score, p.EventTime, p.Joined), withFeatures: false))],
            WaitingUpserts = [.. waiting.Values.Select(o => Row(consumerGroup, partition, o))],
        };
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

    private PendingPrediction? FindPending(string id)
    {
        if (_pending.TryGetValue(id, out var p))
            return p;
        if (_absent.Contains(id) || _waiting.ContainsKey(id))
            return null;
        Load([id]);
        return _pending.GetValueOrDefault(id);
    }

    private WaitingOutcome? FindWaiting(string id)
    {
        if (_waiting.TryGetValue(id, out var o))
            return o;
        if (_absent.Contains(id) || _pending.ContainsKey(id) || IsRemovedWaiting(id))
            return null;
        Load([id]);
        return _waiting.GetValueOrDefault(id);
    }

    // Reads ids from the store into the cache; ids in neither table are remembered as absent.
    private void Load(IReadOnlyCollection<string> ids)
    {
        if (_store is null)
        {
            _absent.UnionWith(ids);
            return;
        }

        var (pending, waiting) = _store.Find(Partition, ids);
        foreach (var row in pending)
        {
            if (_pending.TryAdd(row.PredictionId, FromRow(row)))
            {
                _cacheOrder.Enqueue(row.PredictionId);
                _oldestCached = Math.Min(_oldestCached, row.EventTime);
            }
        }

        foreach (var row in waiting)
        {
            if (!IsRemovedWaiting(row.PredictionId) && _waiting.TryAdd(row.PredictionId, new WaitingOutcome(row.PredictionId, row.Model, row.Actual, row.ActualNumber, row.EventTime)))
            {
                _cacheOrder.Enqueue(row.PredictionId);
                _oldestCached = Math.Min(_oldestCached, row.EventTime);
            }
        }

        foreach (string id in ids)
        {
            if (!_pending.ContainsKey(id) && !_waiting.ContainsKey(id))
                _absent.Add(id);
        }
    }

    // A waiting outcome consumed since the last committed checkpoint: the store may still hold it, memory knows better.
    private bool IsRemovedWaiting(string id) => _waitingRemoved.Contains(id) || _waitingRemovedInFlight?.Contains(id) == true;

    // An entry changed since the last checkpoint was taken: the store has not got it (or not this version of it).
    private bool IsUncommitted(string id) => _pendingChanged.ContainsKey(id) || _waitingAdded.ContainsKey(id);

    // What this checkpoint writes to the join tables: new and joined predictions, waiting outcomes added and consumed,
    // and the expiry horizons (pending TTL behind each model's watermark; the partition's for outcomes of other models).
    private JoinStateChanges JoinChanges(long sequence)
    {
        long ttl = (long)_options.PendingTtl.TotalMilliseconds;
        // A prediction joined before any checkpoint wrote it: its features go to the example only, written once.
        var pending = new List<PendingPredictionRow>(_pendingChanged.Count);
        Dictionary<string, PendingPredictionRow>? examples = null;
        foreach (var p in _pendingChanged.Values)
        {
            if (p.Joined && p.Features is not null)
            {
                (examples ??= new(StringComparer.Ordinal))[p.PredictionId] = Row(ConsumerGroup, Partition, p, withFeatures: true);
                pending.Add(Row(ConsumerGroup, Partition, p, withFeatures: false));
            }
            else
            {
                pending.Add(Row(ConsumerGroup, Partition, p, withFeatures: true));
            }
        }

        return new JoinStateChanges
        {
            Sequence = sequence,
            PendingUpserts = pending,
            WaitingUpserts = [.. _waitingAdded.Values.Select(o => Row(ConsumerGroup, Partition, o))],
            WaitingDeletes = [.. _waitingRemoved],
            Examples = examples is null ? [.. _examples] : [.. _examples.Select(e => examples.TryGetValue(e.PredictionId, out var row) ? e with { Prediction = row } : e)],
            ExpireBefore = [.. _clocks.Where(kv => kv.Value.Watermark != long.MinValue).Select(kv => (kv.Key, kv.Value.Watermark - ttl))],
            ExpireOtherWaitingBefore = Watermark == long.MinValue ? null : Watermark - ttl,
        };
    }

    // Cached entries past the TTL go from memory as the store expires them. The scan of the whole cache runs only
    // once the newest horizon has passed the oldest cached entry: most checkpoints have nothing to expire.
    private void ExpireCache()
    {
        long ttl = (long)_options.PendingTtl.TotalMilliseconds;
        long horizon = Watermark == long.MinValue ? long.MinValue : Watermark - ttl;
        foreach (var clock in _clocks.Values)
        {
            if (clock.Watermark != long.MinValue)
                horizon = Math.Max(horizon, clock.Watermark - ttl);
        }

        if (horizon <= _oldestCached)
            return;
        long oldest = long.MaxValue;
        Expire(_pending, p => (p.Window.Model, p.EventTime), ttl, ref oldest);
        Expire(_waiting, o => (o.Model, o.EventTime), ttl, ref oldest);
        _oldestCached = oldest;
    }

    // Removes the expired entries of one cache table and lowers `oldest` to the oldest event time of those it keeps.
    private void Expire<T>(Dictionary<string, T> entries, Func<T, (string Model, long EventTime)> of, long ttl, ref long oldest)
    {
        List<string>? expired = null;
        foreach (var (id, entry) in entries)
        {
            var (model, eventTime) = of(entry);
            // One changed since the checkpoint was taken stays until the checkpoint that writes (and expires) it.
            if (IsExpired(model, eventTime, ttl) && !IsUncommitted(id))
                (expired ??= []).Add(id);
            else
                oldest = Math.Min(oldest, eventTime);
        }

        foreach (string id in expired ?? [])
            entries.Remove(id);
    }

    private bool IsExpired(string model, long eventTime, long ttl)
    {
        long watermark = _clocks.TryGetValue(model, out var clock) ? clock.Watermark : Watermark;
        return watermark != long.MinValue && eventTime < watermark - ttl;
    }

    private void RebuildCacheOrder()
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var live = _cacheOrder.Where(id => (_pending.ContainsKey(id) || _waiting.ContainsKey(id)) && seen.Add(id)).ToList();
        _cacheOrder.Clear();
        foreach (string id in live)
            _cacheOrder.Enqueue(id);
    }

    private static PendingPredictionRow Row(string group, int partition, PendingPrediction p, bool withFeatures) => new()
    {
        ConsumerGroup = group,
        Partition = partition,
        PredictionId = p.PredictionId,
        Model = p.Window.Model,
        Version = p.Window.Version,
        WindowStart = p.Window.Start,
        WindowEnd = p.Window.End,
        Prediction = p.Prediction,
        PredictionNumber = p.PredictionNumber,
        Score = p.Score,
        EventTime = p.EventTime,
        Joined = p.Joined ? 1 : 0,
        FeaturesUtf8 = withFeatures ? p.Features : null,
    };

    private static WaitingOutcomeRow Row(string group, int partition, WaitingOutcome o) => new()
    {
        ConsumerGroup = group,
        Partition = partition,
        PredictionId = o.Id,
        Model = o.Model,
        Actual = o.Actual,
        ActualNumber = o.ActualNumber,
        EventTime = o.EventTime,
    };

    // The features as the record carried them (validated, so the same values read back); written here for an event built in code.
    private static ReadOnlyMemory<byte> FeaturesJson(PredictionEvent e) =>
        e.FeaturesJson.IsEmpty ? JsonSerializer.SerializeToUtf8Bytes(e.Features, ContractsJsonContext.Default.IReadOnlyDictionaryStringScalar) : e.FeaturesJson;

    private static PendingPrediction FromRow(PendingPredictionRow r) =>
        new(r.PredictionId, new WindowKey(r.Model, r.Version, r.WindowStart, r.WindowEnd), r.Prediction, r.PredictionNumber, r.Score, r.EventTime, r.Joined != 0);

    private sealed class ModelClock
    {
        public long Watermark = long.MinValue;

        // Wall clock (Unix ms) of the model's last event here; 0 until the first idle check.
        public long LastEventAt;

        // Moved since the last committed checkpoint.
        public bool Dirty;
    }

    private static Scalar Parse(string text, double? number) => number is { } n ? Scalar.Of(n) : Scalar.Of(text);
}
