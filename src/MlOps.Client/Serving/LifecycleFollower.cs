using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Serialization;
using MlOps.Kafka;

namespace MlOps.Client.Serving;

/// <summary>
/// Reads <c>mlops.model-lifecycle</c> from its end — each partition assigned at its high watermark, taken before the first
/// load so no promotion falls between the two; no consumer group offsets are committed — and hands each
/// <see cref="ModelPromoted"/>/<see cref="ModelRolledBack"/> of one model to <paramref name="onChampion"/>, in order, on its
/// own thread.
/// </summary>
internal sealed partial class LifecycleFollower(string bootstrapServers, string topic, string model, Action<string> onChampion, ILogger log) : IDisposable
{
    /// <summary>The header <c>KafkaLifecyclePublisher</c> names the event type in.</summary>
    public const string EventHeader = "mlops-event";

    private static readonly TimeSpan MetadataTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _assigned = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    /// <summary>Starts reading; the task completes once the partitions are assigned at their current end.</summary>
    public Task StartAsync()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = $"mlops-lifecycle-{model}" };
        _thread.Start();
        return _assigned.Task;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _thread?.Join(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    private void Run()
    {
        var token = _stop.Token;
        KafkaNativeLibrary.EnsureLoaded();
        var config = new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            // A group id librdkafka requires; nothing is ever committed under it.
            GroupId = $"mlops-champion-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnableAutoOffsetStore = false,
            AutoOffsetReset = AutoOffsetReset.Latest,
            ClientId = $"mlops-champion-{model}",
        };
        using var consumer = new ConsumerBuilder<string, byte[]>(config)
            .SetErrorHandler((_, e) => LogKafkaError(e.Code, e.Reason))
            .SetLogHandler((_, m) => LogKafka(m.Name, m.Message))
            .Build();
        try
        {
            AssignAtEnd(consumer, token);
            while (!token.IsCancellationRequested)
            {
                ConsumeResult<string, byte[]>? record;
                try
                {
                    record = consumer.Consume(token);
                }
                catch (ConsumeException e)
                {
                    LogConsumeFailed(e.Error.Reason);
                    continue;
                }

                if (record?.Message is { } message && message.Key == model && Version(message) is { } version)
                    onChampion(version);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Disposed.
        }
        finally
        {
            _assigned.TrySetCanceled(CancellationToken.None);
            consumer.Close();
        }
    }

    private void AssignAtEnd(IConsumer<string, byte[]> consumer, CancellationToken token)
    {
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        while (true)
        {
            token.ThrowIfCancellationRequested();
            try
            {
                // All topics: naming the topic could make a broker auto-create it.
                var partitions = admin.GetMetadata(MetadataTimeout).Topics.FirstOrDefault(t => t.Topic == topic && !t.Error.IsError)?.Partitions;
                if (partitions is { Count: > 0 })
                {
                    var start = partitions.Select(p =>
                    {
                        var tp = new TopicPartition(topic, p.PartitionId);
                        return new TopicPartitionOffset(tp, consumer.QueryWatermarkOffsets(tp, MetadataTimeout).High);
                    }).ToList();
                    consumer.Assign(start);
                    _assigned.TrySetResult();
                    return;
                }

                LogTopicMissing(topic);
            }
            catch (KafkaException e)
            {
                LogConsumeFailed(e.Error.Reason);
            }

            token.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
        }
    }

    private string? Version(Message<string, byte[]> message)
    {
        string? type = message.Headers?.TryGetLastBytes(EventHeader, out var bytes) == true ? Encoding.UTF8.GetString(bytes) : null;
        try
        {
            return type switch
            {
                nameof(ModelPromoted) => JsonSerializer.Deserialize(message.Value, ContractsJsonContext.Default.ModelPromoted)?.Version,
                nameof(ModelRolledBack) => JsonSerializer.Deserialize(message.Value, ContractsJsonContext.Default.ModelRolledBack)?.Version,
                _ => null,
            };
        }
        catch (JsonException e)
        {
            LogBadEvent(type ?? "?", e.Message);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model: lifecycle topic {Topic} does not exist yet; waiting for it")]
    private partial void LogTopicMissing(string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model: reading the lifecycle topic failed: {Reason}")]
    private partial void LogConsumeFailed(string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model: a {Type} event is not valid JSON: {Error}")]
    private partial void LogBadEvent(string type, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model: Kafka: {Code}: {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Champion model: librdkafka {Name}: {Message}")]
    private partial void LogKafka(string name, string message);
}
