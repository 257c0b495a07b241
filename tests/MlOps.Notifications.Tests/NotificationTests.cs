using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MassTransit;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Retraining;

namespace MlOps.Notifications.Tests;

/// <summary>The notification service in a real host (in-memory bus, SQLite) sending to a real HTTP listener.</summary>
public sealed class NotificationTests
{
    private const string Secret = "a-receiver-secret-of-32-chars-xx";

    [Fact]
    public async Task Drift_reaches_the_webhook_signed_once_per_feature_and_the_cooldown_and_redeliveries_send_nothing_twice()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StartAsync(receiver.Url);
        var bus = host.Get<IBus>();
        var first = NewId.NextGuid();

        await bus.Publish(Drift(0, ["age", "plan"]), c => c.MessageId = first);
        await Eventually.HoldsAsync(() => receiver.Accepted.Count == 2, "two deliveries, one per drifted feature");
        await bus.Publish(Drift(0, ["age", "plan"]), c => c.MessageId = first); // the outbox relayed it again
        await bus.Publish(Drift(1, ["age", "region"]), c => c.MessageId = NewId.NextGuid()); // next window: age is in its cool-down
        await Eventually.HoldsAsync(() => receiver.Accepted.Count == 3, "the new feature's delivery");
        await Task.Delay(1500);

        Assert.Equal(3, receiver.Requests.Count);
        foreach (var r in receiver.Accepted)
        {
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(r.Body))), r.Signature);
            Assert.Equal("DriftDetected", r.Event);
            Assert.Matches("^[0-9a-f]{32}$", r.DeliveryId);
        }

        var bodies = receiver.Accepted.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["age", "plan", "region"], bodies.Select(b => b.GetProperty("feature").GetString()).Order());
        Assert.All(bodies, b => Assert.Equal("drift", b.GetProperty("kind").GetString()));
        Assert.All(bodies, b => Assert.Equal("churn", b.GetProperty("event").GetProperty("model").GetString()));

        var history = await HistoryAsync(host, "?model=churn&kind=drift");
        Assert.Equal(4, history.Count);
        var suppressed = Assert.Single(history, a => a.GetProperty("suppressed").GetBoolean());
        Assert.Equal("age", suppressed.GetProperty("feature").GetString());
        Assert.Empty(suppressed.GetProperty("deliveries").EnumerateArray());
    }

    [Fact]
    public async Task A_receiver_that_is_down_is_retried_with_back_off_until_it_answers_and_every_attempt_is_listed()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        await using var host = await StartAsync(receiver.Url);
        await host.Get<IBus>().Publish(new RetrainingFailed { RunId = Guid.NewGuid(), Model = "churn", Step = "training", Reason = "out of memory", Attempts = 3, Timestamp = DateTimeOffset.UtcNow });

        await Eventually.HoldsAsync(() => receiver.Accepted.Count == 1, "delivered on the third attempt");
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Single(receiver.Requests.Select(r => r.DeliveryId).Distinct());
        Assert.Equal("RetrainingFailed", receiver.Accepted[0].Event);
        await Eventually.HoldsAsync(async () => (await HistoryAsync(host, "?kind=retraining_failed")).Single().GetProperty("deliveries")[0].GetProperty("state").GetString() == "delivered", "recorded as delivered"); // the receiver saw it: the alert exists
        var delivery = (await HistoryAsync(host, "?kind=retraining_failed")).Single().GetProperty("deliveries")[0];
        var attempts = delivery.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([503, 503, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
    }

    [Fact]
    public async Task After_max_attempts_a_delivery_is_dead_and_says_why()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(100);
        await using var host = await StartAsync(receiver.Url, maxAttempts: 3);
        await host.Get<IBus>().Publish(new PromotionRequested { PromotionId = "p1", Model = "churn", Version = "2", RequestedBy = "retraining", ExpiresAt = DateTimeOffset.UtcNow.AddDays(3), Timestamp = DateTimeOffset.UtcNow });

        JsonElement delivery = default;
        await Eventually.HoldsAsync(async () =>
        {
            var alert = (await HistoryAsync(host, "?kind=promotion_requested")).SingleOrDefault();
            if (alert.ValueKind != JsonValueKind.Object || alert.GetProperty("deliveries").GetArrayLength() == 0)
                return false;
            delivery = alert.GetProperty("deliveries")[0];
            return delivery.GetProperty("state").GetString() == "dead";
        }, "the delivery is dead");
        Assert.Equal(3, receiver.Requests.Count);
        Assert.Equal("HTTP 503 Service Unavailable", delivery.GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Alertmanager_alerts_join_the_same_history_and_go_to_receivers_that_take_them()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var host = await StartAsync(receiver.Url, kinds: ["alertmanager"]);
        using var http = Client(host, "approver");
        var payload = new
        {
            version = "4",
            status = "firing",
            receiver = "mlops",
            alerts = new object[]
            {
                new { status = "firing", labels = new { alertname = "MlOpsConsumerLagHigh", severity = "warning", model = "churn" }, annotations = new { summary = "Lag.", description = "Lag is 12000 records." }, startsAt = "2026-12-01T10:00:00Z", fingerprint = "abc" },
                new { status = "resolved", labels = new { alertname = "MlOpsTargetDown", severity = "critical" }, annotations = new { summary = "Down." }, startsAt = "2026-12-01T09:00:00Z", fingerprint = "def" },
            },
        };
        var response = await http.PostAsJsonAsync("/api/alerts/alertmanager", payload);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await http.PostAsJsonAsync("/api/alerts/alertmanager", payload); // Alertmanager repeats a group: recorded once
        await Eventually.HoldsAsync(() => receiver.Accepted.Count == 1, "the firing alert delivered");
        Assert.Equal("MlOpsConsumerLagHigh", receiver.Accepted[0].Event);
        var history = await HistoryAsync(host, "?kind=alertmanager");
        var alert = Assert.Single(history);
        Assert.Equal("alertmanager", alert.GetProperty("source").GetString());
        Assert.Equal("Lag is 12000 records.", alert.GetProperty("summary").GetString());

        // Drift is not a kind this receiver takes: recorded, not sent.
        await host.Get<IBus>().Publish(Drift(0, ["age"]));
        await Eventually.HoldsAsync(async () => (await HistoryAsync(host, "?kind=drift")).Count == 1, "drift recorded");
        Assert.Single(receiver.Requests);

        Assert.Equal(HttpStatusCode.BadRequest, (await http.PostAsync("/api/alerts/alertmanager", new StringContent("{\"nope\":1}", Encoding.UTF8, "application/json"))).StatusCode);
        using var viewer = Client(host, "viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/alerts/alertmanager", payload)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await viewer.GetAsync("/api/alerts?kind=weather")).StatusCode);
    }

    [Fact]
    public async Task A_receiver_without_a_secret_or_with_a_bad_url_stops_the_host_with_the_key_in_the_message()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestPlatform.StartAsync(
            new Dictionary<string, string?> { ["MlOps:Alerts:Webhooks:0:Url"] = "ftp://x", ["MlOps:Alerts:Webhooks:0:Secret"] = "short" },
            services: [MlOps.Platform.Services.Notifications], storage: TestDatabases.NewSqlite()));
        Assert.Contains("MlOps:Alerts:Webhooks:0:Url", error.Message, StringComparison.Ordinal);
        Assert.Contains("MlOps:Alerts:Webhooks:0:Secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_instances_on_one_store_send_each_delivery_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var storage = TestDatabases.NewSqlite();
        await using var first = await StartAsync(receiver.Url, storage: storage);
        await using var second = await StartAsync(receiver.Url, storage: storage);
        // Alerts recorded by the first instance are due for both dispatchers: the second finds them at its next tick.
        const int windows = 20;
        for (int w = 0; w < windows; w++)
            await first.Get<IBus>().Publish(Drift(w, [$"f{w}"]), c => c.MessageId = NewId.NextGuid());
        await Eventually.HoldsAsync(async () => (await HistoryAsync(first, "?kind=drift")).Count(a => a.GetProperty("deliveries")[0].GetProperty("state").GetString() == "delivered") == windows,
            "every delivery recorded as delivered");

        Assert.Equal(windows, receiver.Requests.Select(r => r.DeliveryId).Distinct().Count());
        Assert.True(receiver.Requests.Count == windows, $"{receiver.Requests.Count} requests for {windows} deliveries: {string.Join(", ", receiver.Requests.GroupBy(r => r.DeliveryId).Where(g => g.Count() > 1).Select(g => $"{g.Key}×{g.Count()}"))}");
    }

    private static Task<TestPlatform> StartAsync(string url, int maxAttempts = 8, string[]? kinds = null, MlOps.Storage.StorageOptions? storage = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MlOps:Alerts:Webhooks:0:Url"] = url,
            ["MlOps:Alerts:Webhooks:0:Secret"] = Secret,
            ["MlOps:Alerts:RetryBaseDelay"] = "00:00:00.200",
            ["MlOps:Alerts:DispatchInterval"] = "00:00:00.100",
            ["MlOps:Alerts:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        for (int i = 0; i < (kinds?.Length ?? 0); i++)
            settings[$"MlOps:Alerts:Webhooks:0:Kinds:{i}"] = kinds![i];
        return TestPlatform.StartAsync(settings, services: [MlOps.Platform.Services.Notifications], storage: storage ?? TestDatabases.NewSqlite());
    }

    private static HttpClient Client(TestPlatform host, string role)
    {
        var http = new HttpClient { BaseAddress = host.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", host.Platform.Keys[role]);
        return http;
    }

    private static async Task<List<JsonElement>> HistoryAsync(TestPlatform host, string query)
    {
        using var http = Client(host, "viewer");
        return [.. (await http.GetFromJsonAsync<JsonElement>("/api/alerts" + query)).EnumerateArray()];
    }

    private static DriftDetected Drift(int window, string[] features) => new()
    {
        Model = "churn",
        Version = "1",
        WindowStart = DateTimeOffset.UnixEpoch.AddMinutes(window),
        WindowEnd = DateTimeOffset.UnixEpoch.AddMinutes(window + 1),
        DriftedShare = 0.6,
        DriftedFeatures = features,
        Rows = 1000,
    };
}
