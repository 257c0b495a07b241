using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Kafka;

namespace MlOps.Monitoring.Ingest;

/// <summary>
/// The idempotent producer behind <c>POST /api/ingest/…</c>: the records go to the same topics, keyed by
/// <c>predictionId</c> and partitioned by murmur2, as if the app had produced them itself. Created on the first
/// ingest request, so a monitor that never ingests holds no producer.
/// </summary>
public sealed partial class IngestProducer(IOptions<MonitoringOptions> options, ILogger<IngestProducer> logger) : IDisposable
{
    private readonly MonitoringOptions _options = options.Value;
    private readonly Lock _gate = new();
    private IProducer<string, byte[]>? _producer;

    /// <summary>The topic for predictions or outcomes.</summary>
    public string TopicFor(IngestKind kind) => kind == IngestKind.Predictions ? _options.PredictionsTopic : _options.OutcomesTopic;

    /// <summary>
    /// Produces every record and waits until each is acknowledged by all in-sync replicas or failed; returns the
    /// error per record (null: delivered). A broker that does not answer within <see cref="MonitoringOptions.IngestDeliveryTimeout"/>
    /// fails the record, and the caller may send it again (the monitor counts a predictionId once).
    /// </summary>
    public async Task<string?[]> ProduceAsync(IngestKind kind, IReadOnlyList<(string Key, ReadOnlyMemory<byte> Value)> records, CancellationToken cancellationToken)
    {
        var producer = Producer();
        string topic = TopicFor(kind);
        var errors = new string?[records.Count];
        var pending = new Task[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            int index = i;
            var message = new Message<string, byte[]> { Key = records[i].Key, Value = records[i].Value.ToArray() };
            pending[i] = Deliver(producer, topic, message, index, errors);
        }

        // Not cancelled with the request: a record handed to librdkafka is delivered (or fails) either way, and the
        // answer must say which.
        await Task.WhenAll(pending).WaitAsync(_options.IngestDeliveryTimeout + TimeSpan.FromSeconds(5), CancellationToken.None)
            .ConfigureAwait(false);
        return errors;
    }

    private static async Task Deliver(IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message, int index, string?[] errors)
    {
        try
        {
            await producer.ProduceAsync(topic, message).ConfigureAwait(false);
        }
        catch (ProduceException<string, byte[]> e)
        {
            errors[index] = e.Error.Reason;
        }
        catch (KafkaException e)
        {
            errors[index] = e.Error.Reason;
        }
    }

    private IProducer<string, byte[]> Producer()
    {
        if (_producer is { } ready)
            return ready;
        lock (_gate)
        {
            return _producer ??= KafkaProducers.CreateReliable<string, byte[]>(
                _options.BootstrapServers,
                c =>
                {
                    c.ClientId = "mlops-ingest";
                    c.MessageTimeoutMs = (int)_options.IngestDeliveryTimeout.TotalMilliseconds;
                    c.LingerMs = 2;
                },
                b => b.SetErrorHandler((_, e) => LogKafkaError(e.Reason)));
        }
    }

    public void Dispose()
    {
        if (_producer is null)
            return;
        _producer.Flush(TimeSpan.FromSeconds(5));
        _producer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ingest producer: {Reason}")]
    private partial void LogKafkaError(string reason);
}

/// <summary>What an ingest request carries.</summary>
public enum IngestKind
{
    Predictions,
    Outcomes,
}
