using System.Diagnostics;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Storage;
using MlOps.Storage.Alerts;

namespace MlOps.Notifications.Delivery;

/// <summary>
/// Sends due deliveries: <c>POST</c> of the alert's JSON with <c>X-MlOps-Signature: sha256=&lt;hex HMAC-SHA256 of the
/// body with the receiver's secret&gt;</c>, <c>X-MlOps-Event</c> and <c>X-MlOps-Delivery</c> (stable across retries).
/// A 2xx is delivered; anything else is retried with exponential back-off until <c>MaxAttempts</c>, then dead.
/// Every attempt is recorded.
/// </summary>
public sealed partial class WebhookDispatcher(
    Database database,
    AlertStore store,
    IOptions<AlertsOptions> options,
    DispatchSignal signal,
    IHttpClientFactory http,
    TimeProvider time,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    /// <summary>The named HTTP client.</summary>
    public const string HttpClientName = "mlops-webhooks";

    /// <summary>The signature header.</summary>
    public const string SignatureHeader = "X-MlOps-Signature";

    /// <summary>The event-type header.</summary>
    public const string EventHeader = "X-MlOps-Event";

    /// <summary>The delivery-id header (the same on every retry of one delivery).</summary>
    public const string DeliveryHeader = "X-MlOps-Delivery";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    while (await DispatchDueAsync(stoppingToken) > 0)
                    {
                        // More may be due: keep going until a pass finds none.
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogDispatchFailed(e);
                }

                await signal.WaitAsync(options.Value.DispatchInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: pending deliveries stay in the store for the next start.
        }
    }

    /// <summary>One pass: sends every due delivery (at most 100); returns how many it tried.</summary>
    internal async Task<int> DispatchDueAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        IReadOnlyList<(DeliveryRow Delivery, string Body, string EventType)> due;
        await using (var c = await database.OpenAsync(cancellationToken))
            due = await store.DueAsync(c, time.GetUtcNow().ToUnixTimeMilliseconds(), 100);
        foreach (var (delivery, body, eventType) in due)
        {
            // Instances that share the store all dispatch: only the one that claims a delivery sends this attempt.
            await using (var c = await database.OpenAsync(cancellationToken))
            {
                if (!await store.ClaimAsync(c, delivery, (time.GetUtcNow() + 2 * o.RequestTimeout).ToUnixTimeMilliseconds()))
                    continue;
            }

            var receiver = o.Webhooks.FirstOrDefault(w => w.DisplayName == delivery.Receiver);
            if (receiver is null)
            {
                await RecordAsync(delivery, DeliveryStates.Dead, null, "the receiver is no longer configured", TimeSpan.Zero, cancellationToken);
                continue;
            }

            var started = Stopwatch.GetTimestamp();
            int? status = null;
            string? error = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
                request.Headers.Add(SignatureHeader, Sign(body, receiver.Secret));
                request.Headers.Add(EventHeader, eventType);
                request.Headers.Add(DeliveryHeader, delivery.DeliveryId);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(o.RequestTimeout);
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                status = (int)response.StatusCode;
                if (!response.IsSuccessStatusCode)
                    error = $"HTTP {status} {response.ReasonPhrase}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                error = e is TaskCanceledException ? $"no answer within {o.RequestTimeout.TotalSeconds:0.#} s" : e.Message;
            }

            var took = Stopwatch.GetElapsedTime(started);
            if (error is null)
            {
                await RecordAsync(delivery, DeliveryStates.Delivered, status, null, took, cancellationToken);
                Deliveries.WithLabels(DeliveryStates.Delivered).Inc();
            }
            else if (delivery.Attempts + 1 >= o.MaxAttempts)
            {
                await RecordAsync(delivery, DeliveryStates.Dead, status, error, took, cancellationToken);
                Deliveries.WithLabels(DeliveryStates.Dead).Inc();
                LogDead(delivery.DeliveryId, delivery.Receiver, delivery.Attempts + 1, error);
            }
            else
            {
                await RecordAsync(delivery, DeliveryStates.Pending, status, error, took, cancellationToken);
                Deliveries.WithLabels("retried").Inc();
            }
        }

        return due.Count;
    }

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of <paramref name="body"/> (UTF-8) with <paramref name="secret"/>.</summary>
    public static string Sign(string body, string secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    private Task RecordAsync(DeliveryRow d, string state, int? status, string? error, TimeSpan took, CancellationToken ct)
    {
        var o = options.Value;
        var now = time.GetUtcNow();
        int attempts = d.Attempts + 1;
        var delay = TimeSpan.FromTicks(Math.Min(o.RetryMaxDelay.Ticks, o.RetryBaseDelay.Ticks * (1L << Math.Min(attempts - 1, 30))));
        var updated = new DeliveryRow
        {
            AlertId = d.AlertId,
            Receiver = d.Receiver,
            DeliveryId = d.DeliveryId,
            State = state,
            Attempts = attempts,
            NextAttemptAt = state == DeliveryStates.Pending ? (now + delay).ToUnixTimeMilliseconds() : null,
            DeliveredAt = state == DeliveryStates.Delivered ? now.ToUnixTimeMilliseconds() : null,
            LastError = error,
        };
        var attempt = new AttemptRow { DeliveryId = d.DeliveryId, Attempt = attempts, At = now.ToUnixTimeMilliseconds(), StatusCode = status, Error = error, DurationMs = (long)took.TotalMilliseconds };
        return database.InTransactionAsync(async (c, tx) =>
        {
            await store.RecordAttemptAsync(c, updated, attempt, tx);
            return true;
        }, ct);
    }

    private static readonly Prometheus.Counter Deliveries = Prometheus.Metrics.CreateCounter(
        "mlops_alert_deliveries_total", "Webhook delivery attempts by outcome (delivered, retried, dead).", "outcome");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending alerts failed; trying again at the next tick")]
    private partial void LogDispatchFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Alert delivery {DeliveryId} to {Receiver} is dead after {Attempts} attempts: {Error}")]
    private partial void LogDead(string deliveryId, string receiver, int attempts, string error);
}
