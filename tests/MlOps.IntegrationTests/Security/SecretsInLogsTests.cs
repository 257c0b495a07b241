using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MlOps.Platform;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// API keys and webhook secrets never reach a log: every event of the platform at every level (message, structured
/// values, scopes, exceptions) is captured from its start — seeding with valid keys, the hostile requests of the other
/// classes of the collection, and the calls here: each key in both headers, keys that are almost right, a webhook
/// secret sent as a key, and alerts whose deliveries fail (one receiver answers 503, the other refuses the connection).
/// </summary>
[Collection(HostilePlatformCollection.Name)]
public sealed class SecretsInLogsTests(HostilePlatform platform)
{
    [Fact]
    public async Task No_log_event_holds_an_api_key_or_a_webhook_secret()
    {
        using var http = new HttpClient { BaseAddress = platform.Platform.BaseUrl };
        foreach (string role in EmbeddedPlatform.KeyRoles)
        {
            string key = platform.KeyOf(role);
            await SendAsync(http, new AuthenticationHeaderValue("ApiKey", key), null);
            foreach (string almost in new[] { key, key[..^1], key + "0", key.ToUpperInvariant(), $" {key} " })
                await SendAsync(http, null, almost);
            await SendAsync(http, new AuthenticationHeaderValue("Bearer", key), null);
        }

        await SendAsync(http, null, SecurityPlatform.WebhookSecret);
        await SendAsync(http, new AuthenticationHeaderValue("ApiKey", SecurityPlatform.SecondWebhookSecret), null);
        await FailAnotherDeliveryAsync();
        // The new alert is this test's doing: the tests after it compare with the store as it is now.
        await platform.RebaseStoreAsync();

        var logs = platform.Logs;
        // The capture sees what a leak would be in: failed authentications and dead deliveries.
        Assert.NotEmpty(logs.Containing("Unknown API key"));
        Assert.NotEmpty(logs.Containing("is dead after 2 attempts"));
        foreach (string secret in platform.Secrets)
        {
            foreach (string part in new[] { secret, secret[..12], secret[^12..] })
            {
                var found = logs.Containing(part);
                Assert.True(found.Count == 0, $"{found.Count} log events hold a secret ({part[..4]}…), e.g.: {found.FirstOrDefault()?.Replace(part, "<secret>", StringComparison.Ordinal)}");
            }
        }
    }

    [Fact]
    public async Task A_configuration_that_is_refused_does_not_quote_its_secrets()
    {
        const string secret = "whsec-refused-config-0123456789ab";
        const string key = "short-key";
        var error = await Assert.ThrowsAnyAsync<Exception>(() => TestPlatform.StartAsync(
            new Dictionary<string, string?>
            {
                ["MlOps:Alerts:Webhooks:0:Url"] = "ftp://receiver.example/hook",
                ["MlOps:Alerts:Webhooks:0:Secret"] = secret,
                ["MlOps:Auth:ApiKeys:9:Name"] = "weak",
                ["MlOps:Auth:ApiKeys:9:Role"] = "viewer",
                ["MlOps:Auth:ApiKeys:9:Key"] = key,
            },
            services: [MlOps.Platform.Services.Notifications], storage: TestDatabases.NewSqlite()));

        Assert.Contains("MlOps:Alerts:Webhooks:0:Url", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("Key must be at least 16 characters", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain($"'{key}'", error.ToString(), StringComparison.Ordinal);
    }

    private static async Task SendAsync(HttpClient http, AuthenticationHeaderValue? authorization, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/me");
        request.Headers.Authorization = authorization;
        if (apiKey is not null)
            request.Headers.TryAddWithoutValidation("X-Api-Key", apiKey);
        using var response = await http.SendAsync(request);
        Assert.True((int)response.StatusCode is 200 or 401 or 403, $"GET /api/me answered {(int)response.StatusCode}");
    }

    // One more alert to both failing receivers, waited for until both deliveries are dead.
    private async Task FailAnotherDeliveryAsync()
    {
        string fingerprint = Guid.NewGuid().ToString("N");
        var payload = new { alerts = new[] { new { status = "firing", labels = new { alertname = "MlOpsSecretsTest", model = platform.Seed.Model }, startsAt = "2026-12-02T10:00:00Z", fingerprint } } };
        using (var response = await platform.As("approver").PostAsJsonAsync("api/alerts/alertmanager", payload, JsonSerializerOptions.Web))
            response.EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(async () =>
        {
            string alerts = await platform.As("viewer").GetStringAsync("api/alerts?kind=alertmanager");
            var mine = JsonDocument.Parse(alerts).RootElement.EnumerateArray().Where(a => a.GetProperty("eventType").GetString() == "MlOpsSecretsTest").ToList();
            return mine.Count == 1 && mine[0].GetProperty("deliveries").EnumerateArray().Count(d => d.GetProperty("state").GetString() == "dead") == 2;
        }, "both deliveries of the new alert are dead");
    }
}
