using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Client.Registry;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;
using MlOps.Contracts.Validation;
using MlOps.Kafka;

namespace MlOps.Client.Logging;

/// <summary>
/// Streams prediction and outcome events from an app to Kafka, in the JSON of the event contracts, keyed by prediction id
/// (so a prediction and its outcome land on the same partition, whichever client produced them). A call never waits on
/// the broker or the registry: it checks the event, puts it in a bounded buffer and returns a <see cref="LogResult"/>.
/// </summary>
/// <remarks>
/// <para><b>Buffer and drop policy.</b> The buffer holds events accepted and not yet acknowledged by Kafka, at most
/// <see cref="MlOpsLoggerOptions.BufferCapacity"/>. When it is full, the <em>new</em> event is dropped (the buffered ones
/// are already on their way, oldest first), the call returns <see cref="LogStatus.Dropped"/>, and <see cref="Dropped"/> and
/// the <c>mlops.client.events.dropped</c> counter go up. While a broker is down librdkafka retries; with the default
/// <see cref="MlOpsLoggerOptions.DeliveryTimeout"/> (none) nothing in the buffer expires, so an outage loses only what did
/// not fit. A delivery that fails all the same (a delivery timeout was set, or Kafka answered with a non-retriable error)
/// is counted in <see cref="Failed"/> and raised through <see cref="EventNotSent"/>: never silent.</para>
/// <para><b>Producer.</b> Idempotent (<c>enable.idempotence</c>, <c>acks=all</c>: retries neither duplicate nor reorder),
/// Java's murmur2 partitioner (<c>murmur2_random</c>), batched by <see cref="MlOpsLoggerOptions.Linger"/> and
/// <see cref="MlOpsLoggerOptions.BatchSizeBytes"/>, LZ4-compressed.</para>
/// <para><b>Schema validation.</b> Each event is checked with the monitor's own <see cref="EventValidator"/> against its
/// model's schema, read from the registry once per model and cached. When the schema is cached, a bad call is answered
/// <see cref="LogStatus.Rejected"/> with the reason code and detail, and nothing is sent. When it is not (yet) — the
/// model is not in <see cref="MlOpsLoggerOptions.Models"/> and this is its first event, or <see cref="StartAsync"/> could not
/// reach the registry — the call answers <see cref="LogStatus.Accepted"/> and the background sender fetches the schema and
/// validates before producing; a rejection there is counted in <see cref="Rejected"/> and raised through
/// <see cref="EventNotSent"/>. If the registry cannot be reached, the sender does not hold events back: it sends them
/// unvalidated (counted in <see cref="Unvalidated"/>), the monitor validates them again on ingest and dead-letters bad ones
/// with a reason, and the registry is asked again after <see cref="MlOpsLoggerOptions.RegistryRetryInterval"/>. Without a
/// <see cref="MlOpsLoggerOptions.RegistryUrl"/> nothing is validated here.</para>
/// <para><b>Shutdown.</b> <see cref="DisposeAsync"/> (or <see cref="Dispose"/>) stops taking events and waits up to
/// <see cref="MlOpsLoggerOptions.FlushTimeout"/> for the buffer to be acknowledged; what is still buffered then is counted
/// in <see cref="Failed"/> (reason <c>not_flushed</c>) and logged.</para>
/// <para>Thread-safe. Metrics are on the meter <see cref="MeterName"/>.</para>
/// </remarks>
public sealed partial class MlOpsLogger : IAsyncDisposable, IDisposable
{
    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name of the logger's instruments: <c>MlOps.Client</c>.</summary>
    public const string MeterName = "MlOps.Client";

    /// <summary>The <see cref="EventNotSentEventArgs.Reason"/> of a delivery Kafka did not acknowledge.</summary>
    public const string DeliveryFailedReason = "delivery_failed";

    /// <summary>The <see cref="EventNotSentEventArgs.Reason"/> (and failure tag) of events still buffered when the flush timeout ran out.</summary>
    public const string NotFlushedReason = "not_flushed";

    private readonly MlOpsLoggerOptions _options;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly HttpClient? _http;
    private readonly SchemaCache _schemas;
    private readonly EventValidator _validator;
    private readonly LoggerMetrics _metrics;
    private readonly IProducer<string, byte[]> _producer;
    private readonly Channel<PendingEvent> _queue = Channel.CreateUnbounded<PendingEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _sender;
    private readonly Lock _accounting = new();
    private long _buffered;
    private long _accepted;
    private long _rejected;
    private long _dropped;
    private long _delivered;
    private long _failed;
    private long _unvalidated;
    private long _lastUnvalidatedWarning;
    private bool _closed;
    private int _disposed;

    /// <summary>Creates the logger and its producer; checks the options (an invalid one is an <see cref="ArgumentException"/> naming its key).</summary>
    /// <param name="options">Settings; read once.</param>
    /// <param name="logger">Where problems are logged (none by default).</param>
    /// <param name="meterFactory">Creates the meter (DI passes the host's); a meter of its own otherwise.</param>
    /// <param name="time">The clock that stamps events without a timestamp.</param>
    public MlOpsLogger(MlOpsLoggerOptions options, ILogger<MlOpsLogger>? logger = null, IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = MlOpsLoggerOptionsValidator.Check(options);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        _options = options;
        _log = (ILogger?)logger ?? NullLogger.Instance;
        _time = time ?? TimeProvider.System;
        RegistryClient? registry = null;
        if (!string.IsNullOrWhiteSpace(options.RegistryUrl))
        {
            _http = RegistryClient.CreateHttpClient(new Uri(options.RegistryUrl), options.ApiKey);
            registry = new RegistryClient(_http);
        }

        _schemas = new SchemaCache(registry, options.RegistryTimeout, options.RegistryRetryInterval, _time);
        _validator = new EventValidator(_schemas.Find);
        _metrics = new LoggerMetrics(meterFactory, () => Interlocked.Read(ref _buffered));
        _producer = CreateProducer(options);
        _sender = Task.Run(SendLoopAsync);
    }

    /// <summary>
    /// Raised when an accepted event is not sent after all: rejected by the background validation, or not acknowledged by
    /// Kafka. Raised on a background thread (the sender's or librdkafka's delivery thread): keep handlers short; an
    /// exception a handler throws is logged and ignored.
    /// </summary>
    public event EventHandler<EventNotSentEventArgs>? EventNotSent;

    /// <summary>Events taken into the buffer.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Events rejected by validation: answered <see cref="LogStatus.Rejected"/>, or rejected in the background.</summary>
    public long Rejected => Interlocked.Read(ref _rejected);

    /// <summary>Events dropped because the buffer was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Events Kafka acknowledged.</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Accepted events Kafka did not acknowledge after all retries, or still buffered when the flush timeout ran out.</summary>
    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Events sent without a schema check because the registry could not be reached.</summary>
    public long Unvalidated => Interlocked.Read(ref _unvalidated);

    /// <summary>Events accepted and not yet acknowledged (or rejected) — what the buffer holds now.</summary>
    public long Buffered => Math.Max(0, Interlocked.Read(ref _buffered));

    /// <summary>
    /// Loads the schemas of <see cref="MlOpsLoggerOptions.Models"/>, so their events are validated in the call from the first
    /// one on. Never throws for an unreachable registry or an unknown model (that is logged, and those models are validated
    /// in the background as described on <see cref="MlOpsLogger"/>); the DI registration calls it as the host starts.
    /// </summary>
    /// <returns>The models whose schemas are cached.</returns>
    public async Task<IReadOnlyList<string>> StartAsync(CancellationToken cancellationToken = default)
    {
        var loaded = new List<string>();
        if (!_schemas.Enabled)
            return loaded;
        foreach (string model in _options.Models.Distinct(StringComparer.Ordinal))
        {
            var (state, error) = await _schemas.ResolveAsync(model, cancellationToken).ConfigureAwait(false);
            if (state == SchemaCache.State.Known)
                loaded.Add(model);
            else
                LogSchemaNotLoaded(model, error ?? state.ToString());
        }

        return loaded;
    }

    /// <summary>
    /// Logs one prediction. <paramref name="features"/> is a dictionary (of <see cref="Scalar"/>, or of numbers, strings,
    /// booleans and nulls) or a typed object whose public properties are the features, named by
    /// <c>[JsonPropertyName]</c>, else ML.NET's <c>[ColumnName]</c>, else the property name.
    /// </summary>
    /// <param name="model">Registered model name.</param>
    /// <param name="modelVersion">The version that served the prediction.</param>
    /// <param name="features">The model inputs.</param>
    /// <param name="prediction">Class label (classification) or number (regression).</param>
    /// <param name="score">Positive-class probability for binary models.</param>
    /// <param name="predictionId">Unique id (generated when null); log the outcome with it.</param>
    /// <param name="latencyMs">Serving latency in milliseconds.</param>
    /// <param name="tags">Free-form labels (region, tenant…).</param>
    /// <param name="timestamp">Event time (default: now).</param>
    /// <returns>Accepted, Rejected (reason and detail) or Dropped; at once.</returns>
    /// <exception cref="ArgumentException">A feature has an unsupported type (a programming error, not a data problem).</exception>
    /// <exception cref="ObjectDisposedException">The logger was disposed.</exception>
    public LogResult LogPrediction<TFeatures>(
        string model,
        string modelVersion,
        TFeatures features,
        Scalar prediction,
        double? score = null,
        string? predictionId = null,
        double? latencyMs = null,
        IReadOnlyDictionary<string, string>? tags = null,
        DateTimeOffset? timestamp = null)
        where TFeatures : notnull
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(modelVersion);
        ArgumentNullException.ThrowIfNull(features);
        return LogPrediction(new PredictionEvent
        {
            PredictionId = predictionId ?? NewPredictionId(),
            Model = model,
            ModelVersion = modelVersion,
            Timestamp = timestamp ?? _time.GetUtcNow(),
            Features = FeatureExtractor.Extract(features),
            Prediction = prediction,
            Score = score,
            LatencyMs = latencyMs,
            Tags = tags,
        });
    }

    /// <summary>Logs a ready prediction event (see the other overload).</summary>
    /// <exception cref="ObjectDisposedException">The logger was disposed.</exception>
    public LogResult LogPrediction(PredictionEvent prediction)
    {
        ArgumentNullException.ThrowIfNull(prediction);
        ArgumentNullException.ThrowIfNull(prediction.PredictionId);
        ArgumentNullException.ThrowIfNull(prediction.Model);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(prediction, ContractsJsonContext.Default.PredictionEvent);
        return Offer(EventKind.Prediction, prediction.Model, prediction.PredictionId, json);
    }

    /// <summary>Logs the outcome (ground truth) of an earlier prediction.</summary>
    /// <param name="model">Registered model name.</param>
    /// <param name="predictionId">The prediction's id (<see cref="LogResult.PredictionId"/> of its call).</param>
    /// <param name="actual">True class label or number.</param>
    /// <param name="timestamp">When the outcome was observed (default: now).</param>
    /// <exception cref="ObjectDisposedException">The logger was disposed.</exception>
    public LogResult LogOutcome(string model, string predictionId, Scalar actual, DateTimeOffset? timestamp = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(predictionId);
        return LogOutcome(new OutcomeEvent { PredictionId = predictionId, Model = model, Timestamp = timestamp ?? _time.GetUtcNow(), Actual = actual });
    }

    /// <summary>Logs a ready outcome event.</summary>
    /// <exception cref="ObjectDisposedException">The logger was disposed.</exception>
    public LogResult LogOutcome(OutcomeEvent outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(outcome.PredictionId);
        ArgumentNullException.ThrowIfNull(outcome.Model);
        byte[] json = JsonSerializer.SerializeToUtf8Bytes(outcome, ContractsJsonContext.Default.OutcomeEvent);
        return Offer(EventKind.Outcome, outcome.Model, outcome.PredictionId, json);
    }

    /// <summary>Waits until every buffered event is acknowledged (or failed); false when <paramref name="timeout"/> ran out first.</summary>
    public async Task<bool> FlushAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long deadline = _time.GetTimestamp();
        while (Buffered > 0)
        {
            if (_time.GetElapsedTime(deadline) >= timeout)
                return false;
            await Task.Run(() => _producer.Flush(TimeSpan.FromMilliseconds(100)), cancellationToken).ConfigureAwait(false);
            if (Buffered > 0)
                await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>Stops taking events, flushes for at most <see cref="MlOpsLoggerOptions.FlushTimeout"/>, and releases the producer.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _queue.Writer.TryComplete();
        long started = _time.GetTimestamp();
        var flushTimeout = _options.FlushTimeout;
        try
        {
            await _sender.WaitAsync(flushTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The sender is still producing (the registry or the local queue is slow): what is left is counted below.
        }

        var left = flushTimeout - _time.GetElapsedTime(started);
        if (left > TimeSpan.Zero)
            await FlushAsync(left).ConfigureAwait(false);
        Close();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _sender.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        Release();
    }

    /// <summary>As <see cref="DisposeAsync"/>, blocking.</summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private static string NewPredictionId() => Guid.CreateVersion7().ToString("N");

    private LogResult Offer(EventKind kind, string model, string predictionId, byte[] json)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        bool validated = !_schemas.Enabled;
        var state = _schemas.Enabled ? _schemas.Peek(model) : SchemaCache.State.Unknown;
        if (state is SchemaCache.State.Known or SchemaCache.State.NoSuchModel)
        {
            var (valid, reason, detail) = Validate(kind, json);
            if (!valid)
            {
                Interlocked.Increment(ref _rejected);
                _metrics.Rejected(kind, state == SchemaCache.State.Known ? model : null, reason!);
                return LogResult.Rejected(predictionId, reason!, detail!);
            }

            validated = true;
        }

        if (Interlocked.Increment(ref _buffered) > _options.BufferCapacity)
        {
            Interlocked.Decrement(ref _buffered);
            Interlocked.Increment(ref _dropped);
            _metrics.Dropped(kind, model);
            return LogResult.Dropped(predictionId);
        }

        if (!_queue.Writer.TryWrite(new PendingEvent(kind, model, predictionId, json, validated)))
        {
            Interlocked.Decrement(ref _buffered);
            throw new ObjectDisposedException(nameof(MlOpsLogger));
        }

        Interlocked.Increment(ref _accepted);
        _metrics.Accepted(kind, model);
        return LogResult.Accepted(predictionId);
    }

    private (bool Valid, string? Reason, string? Detail) Validate(EventKind kind, byte[] json)
    {
        var errors = kind == EventKind.Prediction ? _validator.ValidatePrediction(json).Errors : _validator.ValidateOutcome(json).Errors;
        return errors.Count == 0 ? (true, null, null) : (false, errors[0].Code, string.Join("; ", errors));
    }

    private async Task SendLoopAsync()
    {
        var token = _stopping.Token;
        try
        {
            await foreach (var item in _queue.Reader.ReadAllAsync(token).ConfigureAwait(false))
            {
                try
                {
                    if (!item.Validated && !await CheckInBackgroundAsync(item, token).ConfigureAwait(false))
                        continue;
                    await ProduceAsync(item, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Fail(item, DeliveryFailedReason, $"{ex.GetType().Name}: {ex.Message}");
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed after the flush timeout: the remaining events are counted as not flushed.
        }
    }

    /// <summary>Validates an event logged before its schema was cached; false when it was rejected.</summary>
    private async Task<bool> CheckInBackgroundAsync(PendingEvent item, CancellationToken token)
    {
        var (state, error) = await _schemas.ResolveAsync(item.Model, token).ConfigureAwait(false);
        if (state == SchemaCache.State.Unreachable)
        {
            Interlocked.Increment(ref _unvalidated);
            _metrics.Unvalidated(item.Kind, item.Model);
            long now = _time.GetTimestamp();
            long last = Interlocked.Read(ref _lastUnvalidatedWarning);
            if ((last == 0 || _time.GetElapsedTime(last, now) > _options.RegistryRetryInterval) && Interlocked.CompareExchange(ref _lastUnvalidatedWarning, now, last) == last)
                LogSendingUnvalidated(item.Model, error ?? "unreachable");
            return true;
        }

        var (valid, reason, detail) = Validate(item.Kind, item.Json);
        if (valid)
            return true;
        Interlocked.Increment(ref _rejected);
        _metrics.Rejected(item.Kind, state == SchemaCache.State.Known ? item.Model : null, reason!);
        Complete(item, delivered: false);
        LogRejectedInBackground(item.Kind, item.Model, item.PredictionId, reason!, detail!);
        Raise(new EventNotSentEventArgs(item.Kind, item.Model, item.PredictionId, rejected: true, reason!, detail!));
        return false;
    }

    private async Task ProduceAsync(PendingEvent item, CancellationToken token)
    {
        var message = new Message<string, byte[]> { Key = item.PredictionId, Value = item.Json };
        string topic = item.Kind == EventKind.Prediction ? _options.PredictionsTopic : _options.OutcomesTopic;
        while (true)
        {
            try
            {
                _producer.Produce(topic, message, report => OnDelivered(item, report));
                return;
            }
            catch (ProduceException<string, byte[]> ex) when (ex.Error.Code == ErrorCode.Local_QueueFull)
            {
                // librdkafka's queue is sized above the buffer, so this is rare: wait for deliveries to make room.
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time, token).ConfigureAwait(false);
            }
            catch (KafkaException ex)
            {
                Fail(item, DeliveryFailedReason, $"{ex.Error.Code}: {ex.Error.Reason}");
                return;
            }
        }
    }

    private void OnDelivered(PendingEvent item, DeliveryReport<string, byte[]> report)
    {
        if (report.Error.IsError)
        {
            Fail(item, DeliveryFailedReason, $"{report.Error.Code}: {report.Error.Reason}");
            return;
        }

        if (Complete(item, delivered: true))
            _metrics.Delivered(item.Kind, item.Model);
    }

    private void Fail(PendingEvent item, string reason, string detail)
    {
        if (!Complete(item, delivered: false))
            return;
        Interlocked.Increment(ref _failed);
        _metrics.Failed(item.Kind, item.Model, reason);
        LogDeliveryFailed(item.Kind, item.Model, item.PredictionId, detail);
        Raise(new EventNotSentEventArgs(item.Kind, item.Model, item.PredictionId, rejected: false, reason, detail));
    }

    /// <summary>Takes an event out of the buffer; false once the logger has closed its books (the event was counted as not flushed).</summary>
    private bool Complete(PendingEvent item, bool delivered)
    {
        lock (_accounting)
        {
            if (_closed)
                return false;
            Interlocked.Decrement(ref _buffered);
            if (delivered)
                Interlocked.Increment(ref _delivered);
            return true;
        }
    }

    /// <summary>Counts what is still buffered as failed; later delivery reports are ignored.</summary>
    private void Close()
    {
        long left;
        lock (_accounting)
        {
            _closed = true;
            left = Math.Max(0, Interlocked.Exchange(ref _buffered, 0));
            Interlocked.Add(ref _failed, left);
        }

        if (left > 0)
        {
            _metrics.FailedUnflushed(left);
            LogNotFlushed(left, _options.FlushTimeout.TotalSeconds);
        }
    }

    private void Release()
    {
        try
        {
            _producer.Dispose();
        }
        finally
        {
            _stopping.Dispose();
            _metrics.Dispose();
            _http?.Dispose();
        }
    }

    private void Raise(EventNotSentEventArgs args)
    {
        try
        {
            EventNotSent?.Invoke(this, args);
        }
        catch (Exception ex)
        {
            LogHandlerFailed(ex);
        }
    }

    private IProducer<string, byte[]> CreateProducer(MlOpsLoggerOptions options)
    {
        return KafkaProducers.CreateReliable<string, byte[]>(options.BootstrapServers!, config =>
        {
            config.ClientId = options.ClientId;
            config.LingerMs = options.Linger.TotalMilliseconds;
            config.BatchSize = options.BatchSizeBytes;
            config.MessageTimeoutMs = checked((int)options.DeliveryTimeout.TotalMilliseconds);
            // Never refuse an event the buffer accepted: librdkafka's own queue is larger than the buffer.
            config.QueueBufferingMaxMessages = Math.Max(options.BufferCapacity + 1024, 100_000);
            foreach (var (key, value) in options.ProducerConfig)
                config.Set(key, value);
            config.EnableIdempotence = true;
            config.Acks = Acks.All;
            config.Partitioner = Partitioner.Murmur2Random;
        }, builder => builder
            .SetErrorHandler((_, error) => LogKafkaError(error.Code, error.Reason))
            .SetLogHandler((_, message) => LogKafka(message.Name, message.Message)));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "MlOps logger: the schema of model {Model} is not loaded ({Error}); its events are validated in the background")]
    private partial void LogSchemaNotLoaded(string model, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MlOps logger: the registry cannot be reached for model {Model} ({Error}); sending its events unvalidated (the monitor validates them on ingest)")]
    private partial void LogSendingUnvalidated(string model, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MlOps logger: {Kind} {PredictionId} of model {Model} rejected: {Reason} ({Detail})")]
    private partial void LogRejectedInBackground(EventKind kind, string model, string predictionId, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "MlOps logger: {Kind} {PredictionId} of model {Model} was not delivered: {Detail}")]
    private partial void LogDeliveryFailed(EventKind kind, string model, string predictionId, string detail);

    [LoggerMessage(Level = LogLevel.Error, Message = "MlOps logger: {Count} events were still unacknowledged after the {Seconds} s flush timeout and are lost")]
    private partial void LogNotFlushed(long count, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MlOps logger: an EventNotSent handler threw")]
    private partial void LogHandlerFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "MlOps logger: Kafka: {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "MlOps logger: librdkafka {Name}: {Message}")]
    private partial void LogKafka(string name, string message);

    private sealed record PendingEvent(EventKind Kind, string Model, string PredictionId, byte[] Json, bool Validated);
}
