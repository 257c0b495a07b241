using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Serialization;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Results;

/// <summary>Window events to and from outbox rows, with a message id that is the same every time the same window raises the same event.</summary>
public static class OutboxMessages
{
    /// <summary>
    /// The message id of an event: a hash of consumer group, model, version, window start and event type, so that a
    /// repeat (a relay that published but crashed before marking, another instance) carries the same id.
    /// </summary>
    public static Guid MessageId(string consumerGroup, string model, string version, DateTimeOffset windowStart, string type)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{consumerGroup}\n{model}\n{version}\n{windowStart.ToUnixTimeMilliseconds()}\n{type}"));
        return new Guid(hash.AsSpan(0, 16));
    }

    public static OutboxRow ToRow(object message, string consumerGroup, long createdAt)
    {
        var (type, model, version, start, json) = message switch
        {
            DriftDetected m => (nameof(DriftDetected), m.Model, m.Version, m.WindowStart, JsonSerializer.Serialize(m, ContractsJsonContext.Default.DriftDetected)),
            PerformanceDegraded m => (nameof(PerformanceDegraded), m.Model, m.Version, m.WindowStart, JsonSerializer.Serialize(m, ContractsJsonContext.Default.PerformanceDegraded)),
            DataQualityDegraded m => (nameof(DataQualityDegraded), m.Model, m.Version, m.WindowStart, JsonSerializer.Serialize(m, ContractsJsonContext.Default.DataQualityDegraded)),
            _ => throw new ArgumentException($"{message.GetType().Name} is not a window event.", nameof(message)),
        };
        return new OutboxRow
        {
            MessageId = MessageId(consumerGroup, model, version, start, type).ToString(),
            ConsumerGroup = consumerGroup,
            MessageType = type,
            Payload = json,
            CreatedAt = createdAt,
        };
    }

    public static object FromRow(OutboxRow row) => row.MessageType switch
    {
        nameof(DriftDetected) => JsonSerializer.Deserialize(row.Payload, ContractsJsonContext.Default.DriftDetected),
        nameof(PerformanceDegraded) => JsonSerializer.Deserialize(row.Payload, ContractsJsonContext.Default.PerformanceDegraded),
        nameof(DataQualityDegraded) => JsonSerializer.Deserialize(row.Payload, ContractsJsonContext.Default.DataQualityDegraded),
        _ => (object?)null,
    } ?? throw new FormatException($"Outbox row {row.MessageId} holds an unknown or empty message of type '{row.MessageType}'.");
}
