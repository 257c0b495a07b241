using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;
using MlOps.Kafka;
using MlOps.Monitoring.Catalog;

namespace MlOps.IntegrationTests.Platform;

/// <summary>
/// The distributed shape: a registry host and a monitor host, each composed from the service list with a database of
/// its own, talking over HTTP (the monitor's catalog reads the registry API) and RabbitMQ (promotions reach the
/// monitor's per-instance queue). The catalog's timer is set to an hour, so only the bus can switch the reference.
/// </summary>
[Collection(DistributedHostsCollection.Name)]
public sealed class SplitHostsTests
{
    private const string Model = "split-churn";

    private static string RabbitMq =>
        Environment.GetEnvironmentVariable("MLOPS_TEST_RABBITMQ") is { Length: > 0 } url ? url : "amqp://guest:guest@127.0.0.1:5672/";

    [Fact]
    public async Task A_promotion_in_the_registry_host_switches_the_reference_of_the_monitor_host()
    {
        string prefix = $"split-{Guid.NewGuid():N}";
        await using var kafka = KafkaDevCluster.Start(brokers: 1);
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
            kafka.CreateTopic($"{prefix}.{topic}", 1);

        await using var registry = await TestPlatform.StartAsync(Bus(prefix), services: [MlOps.Platform.Services.Registry], storage: TestDatabases.NewSqlite());
        var admin = registry.Platform.RegistryAs("admin");
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = Model,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Features = [new FeatureSchema { Name = "age", Type = FeatureType.Numeric }],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 1, AllowedLatenessMinutes = 0 },
        });
        // Version 1 becomes champion as the model's first version (initialChampion: auto). Version 3 has no reference
        // of its own, so its windows are compared with whichever version is champion.
        await RegisterVersionAsync(admin, mean: 40);
        await RegisterVersionAsync(admin, mean: 70);
        await RegisterVersionAsync(admin, mean: null);

        var settings = Bus(prefix);
        settings["MlOps:Monitoring:RegistryUrl"] = registry.Url;
        settings["MlOps:Monitoring:RegistryApiKey"] = registry.Platform.Keys["viewer"];
        settings["MlOps:Monitoring:CatalogRefreshInterval"] = "01:00:00";
        settings["MlOps:Monitoring:CloseInterval"] = "00:00:00.200";
        settings["MlOps:Monitoring:CheckpointInterval"] = "00:00:00.200";
        settings["MlOps:Monitoring:ConsumerGroup"] = prefix;
        settings["MlOps:Monitoring:PredictionsTopic"] = $"{prefix}.predictions";
        settings["MlOps:Monitoring:OutcomesTopic"] = $"{prefix}.outcomes";
        settings["MlOps:Monitoring:DeadLetterTopic"] = $"{prefix}.dlq";
        await using var monitor = await TestPlatform.StartAsync(settings, services: [MlOps.Platform.Services.Monitoring], bootstrapServers: kafka.BootstrapServers, storage: TestDatabases.NewSqlite());
        await Health.WaitReadyAsync(monitor.BaseUrl, "the monitor host");
        var catalog = monitor.Get<IModelCatalog>();
        Assert.Equal("1", catalog.Find(Model)?.ChampionVersion);

        // A window of version 3 compared with the champion's (version 1's) reference: ages around 40, no drift.
        // Event time ahead of the clock: an idle partition's watermark follows the clock (IdleTimeout), which must not
        // make these events late while the test waits for the promotion (one partition: its own events close windows).
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(10);
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(kafka.BootstrapServers);
        Produce(producer, prefix, start, count: 300, mean: 40, idPrefix: "a");
        Produce(producer, prefix, start.AddMinutes(1), count: 2, mean: 40, idPrefix: "a-close");
        var first = await WindowAsync(monitor, start);
        Assert.Equal("1", first.GetProperty("referenceVersion").GetString());
        Assert.False(first.GetProperty("datasetDrift").GetBoolean());

        await PromoteAsync(registry, "2");
        await Eventually.HoldsAsync(() => catalog.Find(Model)?.ChampionVersion == "2", "ModelPromoted reaches the monitor host over RabbitMQ");

        // The next window of the same traffic is compared with the new champion's reference (ages around 70): drift.
        Produce(producer, prefix, start.AddMinutes(2), count: 300, mean: 40, idPrefix: "b");
        Produce(producer, prefix, start.AddMinutes(3), count: 2, mean: 40, idPrefix: "b-close");
        var second = await WindowAsync(monitor, start.AddMinutes(2));
        Assert.Equal("2", second.GetProperty("referenceVersion").GetString());
        Assert.True(second.GetProperty("datasetDrift").GetBoolean());
    }

    private static Dictionary<string, string?> Bus(string prefix) => new()
    {
        ["MlOps:Bus:Transport"] = "RabbitMq",
        ["MlOps:Bus:Host"] = new Uri(RabbitMq).Host,
        ["MlOps:Bus:Port"] = new Uri(RabbitMq).Port.ToString(CultureInfo.InvariantCulture),
        ["MlOps:Registry:LifecycleTopic"] = $"{prefix}.lifecycle",
    };

    private static async Task RegisterVersionAsync(RegistryClient admin, double? mean)
    {
        using var artifact = new MemoryStream([1, 2, 3]);
        if (mean is not { } m)
        {
            await admin.RegisterVersionAsync(Model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin" });
            return;
        }

        var random = new Random((int)m);
        var csv = new StringBuilder("age\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{m + 5 * (random.NextDouble() - 0.5):F2}\n");
        using var reference = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        await admin.RegisterVersionAsync(Model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
    }

    private static async Task PromoteAsync(TestPlatform registry, string version) =>
        Assert.Equal("approved", (await registry.Platform.PromoteAsync(Model, version)).State);

    private static void Produce(IProducer<string, byte[]> producer, string prefix, DateTimeOffset at, int count, double mean, string idPrefix)
    {
        var random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            // Hand-written JSON, as an app that is not ours produces it.
            string json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"schemaVersion":1,"predictionId":"{{idPrefix}}-{{i}}","model":"{{Model}}","modelVersion":"3","timestamp":"{{at.AddMilliseconds(i * 10):O}}","features":{"age":{{mean + 5 * (random.NextDouble() - 0.5):F2}}},"prediction":"1","score":0.7}""");
            producer.Produce($"{prefix}.predictions", new Message<string, byte[]> { Key = $"{idPrefix}-{i}", Value = Encoding.UTF8.GetBytes(json) });
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    private static async Task<JsonElement> WindowAsync(TestPlatform monitor, DateTimeOffset windowStart)
    {
        using var http = new HttpClient { BaseAddress = monitor.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", monitor.Platform.Keys["viewer"]);
        string from = Uri.EscapeDataString(windowStart.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture));
        string to = Uri.EscapeDataString(windowStart.AddMinutes(10).ToString("O", CultureInfo.InvariantCulture));
        JsonElement? found = null;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await http.GetAsync($"api/monitoring/{Model}/windows?from={from}&to={to}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var windows = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            found = windows.EnumerateArray().Where(w => w.GetProperty("windowStart").GetDateTimeOffset() == windowStart).Select(w => w.Clone()).Cast<JsonElement?>().FirstOrDefault();
            return found is not null;
        }, $"the window at {windowStart:u} is closed and served by the monitor host", TimeSpan.FromSeconds(60));
        return found!.Value;
    }
}
