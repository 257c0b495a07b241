using MlOps.Kafka;
using System.Net;

namespace MlOps.IntegrationTests.Platform;

public sealed class HealthTests
{
    [Fact]
    public async Task The_whole_platform_is_live_at_once_and_ready_once_database_bus_consumer_and_catalog_are()
    {
        await using var platform = await TestPlatform.StartAsync();
        var (liveStatus, live) = await Health.GetAsync(platform.BaseUrl, "health/live");
        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("healthy", live.GetProperty("status").GetString());

        await Health.WaitReadyAsync(platform.BaseUrl, "mlops up");
        var (_, ready) = await Health.GetAsync(platform.BaseUrl, "health/ready");
        foreach (string check in new[] { "database", "kafka-consumer", "model-catalog" })
            Assert.Equal("healthy", Health.Check(ready, check));
        Assert.Contains(ready.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString()!.Contains("masstransit", StringComparison.OrdinalIgnoreCase));
        // MassTransit's usage report to its vendor is off: the platform calls no one outside the user's network.
        Assert.False(platform.Get<Microsoft.Extensions.Options.IOptions<MassTransit.UsageTelemetryOptions>>().Value.Enabled);
    }

    [Fact]
    public async Task A_registry_host_whose_PostgreSQL_stops_answers_503_naming_the_database_and_recovers_when_it_returns()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var registry = await TestPlatform.StartAsync(services: [MlOps.Platform.Services.Registry], storage: postgres.Storage);
        await Health.WaitReadyAsync(registry.BaseUrl, "the registry");

        await postgres.StopServerAsync();
        var (status, body) = await Health.GetAsync(registry.BaseUrl, "health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unhealthy", body.GetProperty("status").GetString());
        Assert.Equal("unhealthy", Health.Check(body, "database"));
        // The process itself is fine: a liveness probe must not restart it for a database outage.
        Assert.Equal(HttpStatusCode.OK, (await Health.GetAsync(registry.BaseUrl, "health/live")).Status);

        await postgres.StartServerAsync();
        await Health.WaitReadyAsync(registry.BaseUrl, "the registry after PostgreSQL restarted");
    }

    [Fact]
    public async Task A_monitor_host_whose_registry_is_unreachable_is_not_ready_and_says_why()
    {
        await using var kafka = KafkaDevCluster.Start(brokers: 1);
        string prefix = $"health-{Guid.NewGuid():N}";
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
            kafka.CreateTopic($"{prefix}.{topic}", 1);
        await using var monitor = await TestPlatform.StartAsync(
            new Dictionary<string, string?>
            {
                ["MlOps:Monitoring:RegistryUrl"] = "http://127.0.0.1:9",
                ["MlOps:Monitoring:ConsumerGroup"] = prefix,
                ["MlOps:Monitoring:PredictionsTopic"] = $"{prefix}.predictions",
                ["MlOps:Monitoring:OutcomesTopic"] = $"{prefix}.outcomes",
                ["MlOps:Monitoring:DeadLetterTopic"] = $"{prefix}.dlq",
            },
            services: [MlOps.Platform.Services.Monitoring],
            bootstrapServers: kafka.BootstrapServers);
        await Eventually.HoldsAsync(async () =>
        {
            var (status, body) = await Health.GetAsync(monitor.BaseUrl, "health/ready");
            return status == HttpStatusCode.ServiceUnavailable && Health.Check(body, "model-catalog") == "unhealthy";
        }, "the monitor reports its catalog unhealthy");
    }
}
