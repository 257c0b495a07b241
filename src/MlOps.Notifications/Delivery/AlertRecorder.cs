using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Storage;
using MlOps.Storage.Alerts;

namespace MlOps.Notifications.Delivery;

/// <summary>One alert to record: what it is about and the JSON body receivers get.</summary>
/// <param name="MessageId">The bus message (or Alertmanager alert) it came from: a redelivery records nothing new.</param>
/// <param name="Kind">One of <see cref="AlertKinds"/>.</param>
/// <param name="Model">The model.</param>
/// <param name="Feature">The feature, metric, step or alert name the cool-down is keyed on.</param>
/// <param name="EventType">The event's type name (the <c>X-MlOps-Event</c> header).</param>
/// <param name="Summary">One line for people.</param>
/// <param name="Event">The event as JSON.</param>
public sealed record NewAlert(string MessageId, string Kind, string Model, string Feature, string EventType, string Summary, System.Text.Json.Nodes.JsonNode Event);

/// <summary>
/// Records alerts once (dedup by message id and feature), applies the cool-down per (model, feature, kind), creates a
/// pending delivery per receiver that takes the kind, prints to the console when asked, and wakes the dispatcher.
/// </summary>
public sealed partial class AlertRecorder(Database database, AlertStore store, IOptions<AlertsOptions> options, DispatchSignal signal, TimeProvider time, ILogger<AlertRecorder> logger)
{
    /// <summary>Records the alerts of one message; returns how many were new and not suppressed.</summary>
    public async Task<int> RecordAsync(IReadOnlyList<NewAlert> alerts, string source, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        var sent = new List<NewAlert>();
        await database.InTransactionAsync(async (c, tx) =>
        {
            foreach (var a in alerts)
            {
                bool suppressed = o.Cooldown > TimeSpan.Zero && await store.InCooldownAsync(c, a.Model, a.Feature, a.Kind, (now - o.Cooldown).ToUnixTimeMilliseconds(), tx);
                string id = Id(a.MessageId, a.Feature);
                var body = new System.Text.Json.Nodes.JsonObject
                {
                    ["alertId"] = id,
                    ["kind"] = a.Kind,
                    ["model"] = a.Model,
                    ["feature"] = a.Feature,
                    ["eventType"] = a.EventType,
                    ["summary"] = a.Summary,
                    ["source"] = source,
                    ["createdAt"] = now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    ["event"] = a.Event.DeepClone(),
                };
                var row = new AlertRow
                {
                    Id = id, MessageId = a.MessageId, Kind = a.Kind, Model = a.Model, Feature = a.Feature, EventType = a.EventType, Source = source,
                    Summary = a.Summary, Body = body.ToJsonString(), Suppressed = suppressed ? 1 : 0, CreatedAt = now.ToUnixTimeMilliseconds(),
                };
                if (!await store.InsertAsync(c, row, tx) || suppressed)
                    continue;
                foreach (var receiver in o.Webhooks.Where(w => w.Kinds.Count == 0 || w.Kinds.Contains(a.Kind)))
                {
                    await store.AddDeliveryAsync(c, new DeliveryRow
                    {
                        AlertId = id, Receiver = receiver.DisplayName, DeliveryId = Id(id, receiver.Url), State = DeliveryStates.Pending,
                        NextAttemptAt = now.ToUnixTimeMilliseconds(),
                    }, tx);
                }

                sent.Add(a);
            }

            return true;
        }, cancellationToken);

        foreach (var a in sent)
        {
            if (o.Console)
                LogAlert(a.Kind, a.Model, a.Feature, a.Summary);
            AlertsRecorded.WithLabels(a.Kind, a.Model).Inc();
        }

        if (sent.Count > 0)
            signal.Wake();
        return sent.Count;
    }

    /// <summary>A stable id: the same message and feature (or alert and receiver) always give the same one.</summary>
    internal static string Id(string a, string b) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{a}\n{b}")))[..32];

    internal static readonly Prometheus.Counter AlertsRecorded = Prometheus.Metrics.CreateCounter(
        "mlops_alerts_total", "Alerts recorded and sent (outside their cool-down), by kind and model.", "kind", "model");

    [LoggerMessage(Level = LogLevel.Warning, Message = "ALERT {Kind} {Model} {Feature}: {Summary}")]
    private partial void LogAlert(string kind, string model, string feature, string summary);
}

/// <summary>States of a delivery.</summary>
public static class DeliveryStates
{
    /// <summary>Waiting for its next attempt.</summary>
    public const string Pending = "pending";

    /// <summary>The receiver answered 2xx.</summary>
    public const string Delivered = "delivered";

    /// <summary>Every attempt failed.</summary>
    public const string Dead = "dead";
}

/// <summary>Wakes the dispatcher when new deliveries are due.</summary>
public sealed class DispatchSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    /// <summary>Asks the dispatcher to look now.</summary>
    public void Wake()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken.
        }
    }

    /// <summary>Waits until woken or <paramref name="timeout"/> passed.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
