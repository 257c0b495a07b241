using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Kafka;
using MlOps.Storage;

namespace MlOps.IntegrationTests.Platform;

/// <summary>
/// The retraining loop in the distributed shape: registry, monitor, orchestrator and trainer in four hosts, each with
/// its own PostgreSQL schema, talking over RabbitMQ and each other's HTTP APIs — drift in the monitor host starts the
/// saga in the orchestrator host, the trainer host trains and registers the challenger in the registry host, a
/// person approves, and the monitor host compares the new champion's windows with its training data.
/// </summary>
[Collection(DistributedHostsCollection.Name)]
public sealed class DistributedRetrainingTests : IAsyncLifetime
{
    private const string Model = "dist-churn";
    private readonly List<StorageOptions> _databases = [];

    private static string RabbitMq =>
        Environment.GetEnvironmentVariable("MLOPS_TEST_RABBITMQ") is { Length: > 0 } url ? url : "amqp://guest:guest@127.0.0.1:5672/";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var db in _databases)
            await TestDatabases.DropAsync(db);
    }

    [Fact]
    public async Task Drift_in_the_monitor_host_ends_with_an_approved_challenger_trained_in_the_trainer_host()
    {
        string prefix = $"dist-{Guid.NewGuid():N}";
        await using var kafka = KafkaDevCluster.Start(brokers: 1);
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
            kafka.CreateTopic($"{prefix}.{topic}", 1);
        string sagaKey = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + "retraining";

        await using var registry = await TestPlatform.StartAsync(Bus(prefix), services: [MlOps.Platform.Services.Registry], storage: await Db(),
            apiKeys: [("retraining", "admin", sagaKey)]);
        var admin = registry.Platform.RegistryAs("admin");
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = Model,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Classes = ["0", "1"],
                Features = [new FeatureSchema { Name = "age", Type = FeatureType.Numeric }, new FeatureSchema { Name = "plan", Type = FeatureType.Categorical }],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 1, AllowedLatenessMinutes = 0 },
            Retraining = new RetrainingPolicy { MinLabelledRows = 300, Trials = 2, Folds = 2, TimeBudgetSeconds = 30, Trainers = ["sdca"] },
        });
        using (var artifact = new MemoryStream([1, 2, 3]))
        using (var reference = new MemoryStream(Encoding.UTF8.GetBytes(ReferenceCsv())))
            await admin.RegisterVersionAsync(Model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });

        var monitorSettings = Bus(prefix);
        monitorSettings["MlOps:Monitoring:RegistryUrl"] = registry.Url;
        monitorSettings["MlOps:Monitoring:RegistryApiKey"] = registry.Platform.Keys["viewer"];
        monitorSettings["MlOps:Monitoring:CloseInterval"] = "00:00:00.200";
        monitorSettings["MlOps:Monitoring:CheckpointInterval"] = "00:00:00.200";
        monitorSettings["MlOps:Monitoring:ConsumerGroup"] = prefix;
        monitorSettings["MlOps:Monitoring:PredictionsTopic"] = $"{prefix}.predictions";
        monitorSettings["MlOps:Monitoring:OutcomesTopic"] = $"{prefix}.outcomes";
        monitorSettings["MlOps:Monitoring:DeadLetterTopic"] = $"{prefix}.dlq";
        monitorSettings["MlOps:Monitoring:OutboxInterval"] = "00:00:00.200";
        // The traffic below is back-dated: only events move the watermark, however long training takes on a loaded
        // machine (an idle partition's watermark would follow the clock and make the challenger's events late).
        monitorSettings["MlOps:Monitoring:IdleTimeout"] = "01:00:00";
        await using var monitor = await TestPlatform.StartAsync(monitorSettings, services: [MlOps.Platform.Services.Monitoring], bootstrapServers: kafka.BootstrapServers, storage: await Db());
        await Health.WaitReadyAsync(monitor.BaseUrl, "the monitor host");

        var orchestratorSettings = Bus(prefix);
        orchestratorSettings["MlOps:Orchestration:RegistryUrl"] = registry.Url;
        orchestratorSettings["MlOps:Orchestration:RegistryApiKey"] = sagaKey;
        orchestratorSettings["MlOps:Orchestration:MonitoringUrl"] = monitor.Url;
        orchestratorSettings["MlOps:Orchestration:MonitoringApiKey"] = monitor.Platform.Keys["viewer"];
        orchestratorSettings["MlOps:Orchestration:SweepInterval"] = "00:00:00.500";
        await using var orchestrator = await TestPlatform.StartAsync(orchestratorSettings, services: [MlOps.Platform.Services.Orchestration], storage: await Db());

        var trainerSettings = Bus(prefix);
        trainerSettings["MlOps:Training:RegistryUrl"] = registry.Url;
        trainerSettings["MlOps:Training:RegistryApiKey"] = sagaKey;
        trainerSettings["MlOps:Training:MonitoringUrl"] = monitor.Url;
        trainerSettings["MlOps:Training:MonitoringApiKey"] = monitor.Platform.Keys["viewer"];
        await using var trainer = await TestPlatform.StartAsync(trainerSettings, services: [MlOps.Platform.Services.Training], storage: await Db());
        await Health.WaitReadyAsync(orchestrator.BaseUrl, "the orchestrator host");
        await Health.WaitReadyAsync(trainer.BaseUrl, "the trainer host");

        // Ten minutes ago: two normal labelled windows, one where age shifted by 25 years and plan flipped, then a few
        // events that move the watermark past it.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(kafka.BootstrapServers);
        var random = new Random(5);
        for (int w = 0; w < 3; w++)
            Produce(producer, prefix, random, start.AddMinutes(w), count: 400, version: "1", shifted: w == 2, idPrefix: $"w{w}", labelled: true);
        Produce(producer, prefix, random, start.AddMinutes(3), count: 3, version: "1", shifted: false, idPrefix: "close", labelled: false);

        using var http = new HttpClient { BaseAddress = orchestrator.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", orchestrator.Platform.Keys["viewer"]);
        JsonElement run = default;
        await Eventually.HoldsAsync(async () =>
        {
            var runs = await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retraining?model={Model}", UriKind.Relative));
            run = runs.EnumerateArray().FirstOrDefault(r => r.GetProperty("state").GetString() is "AwaitingApproval" or "Failed");
            return run.ValueKind == JsonValueKind.Object;
        }, "the orchestrator host's run waits for approval", TimeSpan.FromSeconds(180));
        Assert.True(run.GetProperty("state").GetString() == "AwaitingApproval", run.ToString());
        string challenger = run.GetProperty("challengerVersion").GetString()!;

        var promotion = await registry.Platform.RegistryAs("approver").ApprovePromotionAsync(run.GetProperty("promotionId").GetString()!, "trained on the shifted window");
        Assert.Equal("approved", promotion.State);
        Assert.Equal("retraining", promotion.RequestedBy);
        await Eventually.HoldsAsync(async () =>
            (await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/retraining/{run.GetProperty("id").GetString()}", UriKind.Relative))).GetProperty("state").GetString() == "Promoted",
            "PromotionDecided reaches the orchestrator host over RabbitMQ");

        // The app serves the challenger now: its windows are compared with its own training data.
        Produce(producer, prefix, random, start.AddMinutes(4), count: 300, version: challenger, shifted: true, idPrefix: "v2", labelled: false);
        Produce(producer, prefix, random, start.AddMinutes(5), count: 3, version: challenger, shifted: true, idPrefix: "v2-close", labelled: false);
        using var monitorHttp = new HttpClient { BaseAddress = monitor.BaseUrl };
        monitorHttp.DefaultRequestHeaders.Add("X-Api-Key", monitor.Platform.Keys["viewer"]);
        JsonElement windows = default;
        await Eventually.HoldsAsync(async () =>
        {
            string from = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture));
            windows = await monitorHttp.GetFromJsonAsync<JsonElement>(new Uri($"/api/monitoring/{Model}/windows?from={from}", UriKind.Relative));
            return windows.EnumerateArray().Any(w => w.GetProperty("version").GetString() == challenger && w.GetProperty("referenceVersion").GetString() == challenger);
        }, "the new champion's window compared with its own reference", () => $"{windows} {MetricsPage.Counters(monitorHttp)}", TimeSpan.FromSeconds(120));
    }

    private static Dictionary<string, string?> Bus(string prefix) => new()
    {
        ["MlOps:Bus:Transport"] = "RabbitMq",
        ["MlOps:Bus:Host"] = new Uri(RabbitMq).Host,
        ["MlOps:Bus:Port"] = new Uri(RabbitMq).Port.ToString(CultureInfo.InvariantCulture),
        ["MlOps:Registry:LifecycleTopic"] = $"{prefix}.lifecycle",
    };

    private async Task<StorageOptions> Db()
    {
        var db = await TestDatabases.NewPostgresSchemaAsync();
        _databases.Add(db);
        return db;
    }

    private static string ReferenceCsv()
    {
        var random = new Random(1);
        var csv = new StringBuilder("age,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{40 + 10 * (random.NextDouble() - 0.5):F2},{(random.NextDouble() < 0.7 ? "basic" : "gold")}\n");
        return csv.ToString();
    }

    // Churn is likelier for the young on the basic plan; shifted traffic is 25 years older and mostly gold.
    private static void Produce(IProducer<string, byte[]> producer, string prefix, Random random, DateTimeOffset at, int count, string version, bool shifted, string idPrefix, bool labelled)
    {
        for (int i = 0; i < count; i++)
        {
            double age = 40 + 10 * (random.NextDouble() - 0.5) + (shifted ? 25 : 0);
            string plan = random.NextDouble() < (shifted ? 0.2 : 0.7) ? "basic" : "gold";
            double p = 1 / (1 + Math.Exp(-(0.25 * (40 - age) + (plan == "basic" ? 0.8 : -0.8))));
            string id = $"{idPrefix}-{i}";
            string prediction = string.Create(CultureInfo.InvariantCulture,
                $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{Model}}","modelVersion":"{{version}}","timestamp":"{{at.AddMilliseconds(i * 100):O}}","features":{"age":{{age:F2}},"plan":"{{plan}}"},"prediction":"{{(p >= 0.5 ? 1 : 0)}}","score":{{p:F4}}}""");
            producer.Produce($"{prefix}.predictions", new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes(prediction) });
            if (labelled)
            {
                string outcome = string.Create(CultureInfo.InvariantCulture,
                    $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{Model}}","timestamp":"{{at.AddMilliseconds(i * 100 + 50):O}}","actual":"{{(random.NextDouble() < p ? 1 : 0)}}"}""");
                producer.Produce($"{prefix}.outcomes", new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes(outcome) });
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
