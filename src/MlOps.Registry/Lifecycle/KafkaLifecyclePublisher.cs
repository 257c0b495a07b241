using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Serialization;
using MlOps.Kafka;

namespace MlOps.Registry.Lifecycle;

/// <summary>
/// Publishes <see cref="ModelPromoted"/> and <see cref="ModelRolledBack"/> to the <c>mlops.model-lifecycle</c> topic, keyed
/// by model name (so one model's events stay in order), with an <c>mlops-event</c> header naming the type. Serving apps
/// follow the champion by reading it.
/// </summary>
public sealed class KafkaLifecyclePublisher : ILifecycleEventPublisher, IDisposable
{
    /// <summary>The header that names the event type.</summary>
    public const string EventHeader = "mlops-event";

    private readonly IProducer<string, byte[]> _producer;
    private readonly string _topic;

    public KafkaLifecyclePublisher(IOptions<RegistryOptions> options)
    {
        var o = options.Value;
        _topic = o.LifecycleTopic;
        _producer = KafkaProducers.CreateReliable<string, byte[]>(o.KafkaBootstrapServers!);
    }

    public Task PublishAsync(ModelPromoted message, CancellationToken cancellationToken) =>
        Produce(message.Model, nameof(ModelPromoted), JsonSerializer.SerializeToUtf8Bytes(message, ContractsJsonContext.Default.ModelPromoted), cancellationToken);

    public Task PublishAsync(ModelRolledBack message, CancellationToken cancellationToken) =>
        Produce(message.Model, nameof(ModelRolledBack), JsonSerializer.SerializeToUtf8Bytes(message, ContractsJsonContext.Default.ModelRolledBack), cancellationToken);

    public void Dispose()
    {
        _producer.Flush(TimeSpan.FromSeconds(10));
        _producer.Dispose();
    }

    private Task Produce(string model, string type, byte[] value, CancellationToken cancellationToken) =>
        _producer.ProduceAsync(_topic, new Message<string, byte[]>
        {
            Key = model,
            Value = value,
            Headers = [new Header(EventHeader, System.Text.Encoding.UTF8.GetBytes(type))],
        }, cancellationToken);
}
