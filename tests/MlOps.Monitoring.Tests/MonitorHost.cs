using System.Text.Json;
using Confluent.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;
using MlOps.Registry;
using MlOps.Registry.Apis;
using MlOps.Registry.Hosting;
using MlOps.Registry.Models;
using MlOps.Registry.Promotions;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests;

/// <summary>A monitor instance (registry + monitor in one host) on a shared SQLite file, reading a real Kafka-protocol cluster.</summary>
internal sealed class MonitorHost : IAsyncDisposable
{
    private MonitorHost(WebApplication app) => App = app;

    public WebApplication App { get; }

    public static async Task<MonitorHost> StartAsync(string bootstrap, string dataFolder, string group, StorageOptions storage, bool checkpointOnStop = true, int checkpointRecords = 50_000)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlOps:Storage:Provider"] = storage.Provider.ToString(),
            ["MlOps:Storage:ConnectionString"] = storage.ConnectionString,
            ["MlOps:Registry:ArtifactsPath"] = Path.Combine(dataFolder, "artifacts"),
            ["MlOps:Bus:Transport"] = "InMemory",
            ["MlOps:Auth:Mode"] = "ApiKeys",
            ["MlOps:Auth:ApiKeys:0:Name"] = "admin",
            ["MlOps:Auth:ApiKeys:0:Role"] = "admin",
            ["MlOps:Auth:ApiKeys:0:Key"] = "test-admin-key-0123456789",
            ["MlOps:Monitoring:BootstrapServers"] = bootstrap,
            ["MlOps:Registry:KafkaBootstrapServers"] = bootstrap,
            ["MlOps:Registry:LifecycleTopic"] = $"{group}.lifecycle",
            ["MlOps:Monitoring:ConsumerGroup"] = group,
            ["MlOps:Monitoring:PredictionsTopic"] = $"{group}.predictions",
            ["MlOps:Monitoring:OutcomesTopic"] = $"{group}.outcomes",
            ["MlOps:Monitoring:DeadLetterTopic"] = $"{group}.dlq",
            ["MlOps:Monitoring:CheckpointInterval"] = checkpointRecords < 50_000 ? "01:00:00" : "00:00:00.200",
            ["MlOps:Monitoring:CheckpointRecords"] = checkpointRecords.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MlOps:Monitoring:CloseInterval"] = "00:00:00.200",
            ["MlOps:Monitoring:SessionTimeout"] = "00:00:06",
            ["MlOps:Monitoring:CheckpointOnStop"] = checkpointOnStop ? "true" : "false",
        });
        builder.AddMlOpsBus();
        builder.AddRegistry();
        builder.AddMonitoring();
        var app = builder.Build();
        app.UseMlOpsApi();
        app.MapRegistry();
        app.MapMonitoring();
        await app.StartAsync();
        return new MonitorHost(app);
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Registers the test model with a reference profile and makes version 1 champion.</summary>
    public async Task RegisterModelAsync(double windowMinutes, int countTrigger = 0)
    {
        var registry = Get<ModelRegistry>();
        var schema = TestModels.Schema;
        await registry.RegisterAsync(new RegisterModelRequest
        {
            Name = "churn",
            Schema = new ModelSchemaBody { Task = schema.Task, PositiveClass = schema.PositiveClass, Features = [.. schema.Features] },
            Monitoring = new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = 0, CountTrigger = countTrigger },
            Policy = new PromotionPolicy { FourEyes = false },
        }, "test", CancellationToken.None);
        var random = new Random(1);
        var csv = new System.Text.StringBuilder("age,income,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{40 + 10 * random.NextDouble()},{50000 + 10000 * random.NextDouble()},{(i % 2 == 0 ? "basic" : "gold")}\n");
        using var artifact = new MemoryStream([1, 2, 3]);
        using var reference = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        await registry.RegisterVersionAsync("churn", artifact, "m.bin", new RegisterVersionMetadata(), reference, null, "test", CancellationToken.None);
        var promotions = Get<PromotionService>();
        var request = await promotions.RequestAsync(new PromotionRequestBody { Model = "churn", Version = "1" }, "test", CancellationToken.None);
        await promotions.ApproveAsync(request.Id, null, "test", CancellationToken.None);
        await Get<Catalog.IModelCatalog>().RefreshAllAsync(CancellationToken.None);
    }

    /// <summary>Stored window results of the model.</summary>
    public async Task<IReadOnlyList<WindowResultRow>> ResultsAsync()
    {
        var database = Get<Database>();
        await using var c = await database.OpenAsync();
        return await Get<MonitorStateStore>().ListResultsAsync(c, "churn", 0, long.MaxValue);
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
    }

    public static Message<string, byte[]> Message(PredictionEvent e) =>
        new() { Key = e.PredictionId, Value = JsonSerializer.SerializeToUtf8Bytes(e, ContractsJsonContext.Default.PredictionEvent) };

    public static Message<string, byte[]> Message(OutcomeEvent e) =>
        new() { Key = e.PredictionId, Value = JsonSerializer.SerializeToUtf8Bytes(e, ContractsJsonContext.Default.OutcomeEvent) };
}
