using System.Diagnostics.Metrics;

namespace MlOps.Client.Logging;

/// <summary>
/// The logger's instruments on the meter <see cref="MlOpsLogger.MeterName"/> (<c>MlOps.Client</c>), which prometheus-net's
/// meter adapter and OpenTelemetry's <c>AddMeter("MlOps.Client")</c> export. Tags: <c>kind</c> (prediction|outcome),
/// <c>model</c> and, on rejections and failures, <c>reason</c> — all bounded (never a prediction id).
/// </summary>
internal sealed class LoggerMetrics : IDisposable
{
    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _accepted;
    private readonly Counter<long> _rejected;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _unvalidated;

    public LoggerMetrics(IMeterFactory? factory, Func<long> buffered)
    {
        _ownsMeter = factory is null;
        _meter = factory?.Create(MlOpsLogger.MeterName) ?? new Meter(MlOpsLogger.MeterName);
        _accepted = _meter.CreateCounter<long>("mlops.client.events.accepted", "{event}", "Events taken into the logger's buffer");
        _rejected = _meter.CreateCounter<long>("mlops.client.events.rejected", "{event}", "Events rejected by schema validation");
        _dropped = _meter.CreateCounter<long>("mlops.client.events.dropped", "{event}", "Events dropped because the buffer was full");
        _delivered = _meter.CreateCounter<long>("mlops.client.events.delivered", "{event}", "Events acknowledged by Kafka");
        _failed = _meter.CreateCounter<long>("mlops.client.events.failed", "{event}", "Accepted events Kafka did not acknowledge after all retries, or still buffered at dispose");
        _unvalidated = _meter.CreateCounter<long>("mlops.client.events.unvalidated", "{event}", "Events sent without a schema check because the registry could not be reached");
        _meter.CreateObservableGauge("mlops.client.buffer.events", buffered, "{event}", "Events accepted and not yet acknowledged by Kafka");
    }

    public Meter Meter => _meter;

    public void Accepted(EventKind kind, string model) => _accepted.Add(1, Kind(kind), Model(model));

    public void Rejected(EventKind kind, string? model, string reason) => _rejected.Add(1, Kind(kind), Model(model), Reason(reason));

    public void Dropped(EventKind kind, string model) => _dropped.Add(1, Kind(kind), Model(model));

    public void Delivered(EventKind kind, string model) => _delivered.Add(1, Kind(kind), Model(model));

    public void Failed(EventKind kind, string model, string reason) => _failed.Add(1, Kind(kind), Model(model), Reason(reason));

    public void FailedUnflushed(long count) => _failed.Add(count, new KeyValuePair<string, object?>("reason", MlOpsLogger.NotFlushedReason));

    public void Unvalidated(EventKind kind, string model) => _unvalidated.Add(1, Kind(kind), Model(model));

    public void Dispose()
    {
        if (_ownsMeter)
            _meter.Dispose();
    }

    private static KeyValuePair<string, object?> Kind(EventKind kind) => new("kind", kind == EventKind.Prediction ? "prediction" : "outcome");

    // A model the registry does not know is not a label value: names from rejected calls must not grow the series.
    private static KeyValuePair<string, object?> Model(string? model) => new("model", model ?? "unknown");

    private static KeyValuePair<string, object?> Reason(string reason) => new("reason", reason);
}
