using System.Text.Json;
using Confluent.Kafka;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;
using MlOps.Client.Registry;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// A monitor instance: the whole platform (registry + monitor in one host, as <c>mlops up</c> composes it) on a shared
/// database, reading a real Kafka-protocol cluster.
/// </summary>
internal sealed class MonitorHost : IAsyncDisposable
{
    private readonly TestPlatform _platform;

    private MonitorHost(TestPlatform platform) => _platform = platform;

    public Microsoft.AspNetCore.Builder.WebApplication App => _platform.Platform.App;

    /// <summary>Starts an instance on the shared database <c>storage</c> (by default a SQLite file in <c>dataFolder</c>).</summary>
    public static async Task<MonitorHost> StartAsync(string bootstrap, string dataFolder, string group, StorageOptions? storage = null, bool checkpointOnStop = true, int checkpointRecords = 50_000, IReadOnlyList<MlOps.Hosting.IMlOpsService>? extraServices = null, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
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
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
            settings[key] = value;
        // Each instance gets its own folder for keys and artifacts; all share the database and the Kafka cluster.
        var folder = Directory.CreateDirectory(Path.Combine(dataFolder, Guid.NewGuid().ToString("N")));
        storage ??= new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dataFolder, "mlops.db")}" };
        var services = (IReadOnlyList<MlOps.Hosting.IMlOpsService>)[.. MlOps.Platform.Services.All, .. extraServices ?? []];
        return new MonitorHost(await TestPlatform.StartAsync(settings, services, bootstrapServers: bootstrap, storage: storage, folder: folder));
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Registers the test model (or another of its schema) with a reference profile and makes version 1 champion.</summary>
    public async Task RegisterModelAsync(double windowMinutes, int countTrigger = 0, string name = "churn")
    {
        // Through the registry API, as a user registers a model.
        var admin = _platform.Platform.RegistryAs("admin");
        var schema = TestModels.Schema;
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = name,
            Schema = new ModelSchemaBody { Task = schema.Task, PositiveClass = schema.PositiveClass, Features = [.. schema.Features] },
            Monitoring = new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = 0, CountTrigger = countTrigger },
            Policy = new PromotionPolicy { FourEyes = false },
        });
        var random = new Random(1);
        var csv = new System.Text.StringBuilder("age,income,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{40 + 10 * random.NextDouble()},{50000 + 10000 * random.NextDouble()},{(i % 2 == 0 ? "basic" : "gold")}\n");
        using var artifact = new MemoryStream([1, 2, 3]);
        using var reference = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
        // The first version becomes champion at once (initialChampion: auto).
        await admin.RegisterVersionAsync(name, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
        await Get<Catalog.IModelCatalog>().RefreshAllAsync(CancellationToken.None);
    }

    /// <summary>The registry API of this host as <paramref name="role"/> (admin, approver, viewer).</summary>
    public RegistryClient RegistryAs(string role) => _platform.Platform.RegistryAs(role);

    /// <summary>Stored window results of the model (default: the test model).</summary>
    public async Task<IReadOnlyList<WindowResultRow>> ResultsAsync(string model = "churn")
    {
        var database = Get<Database>();
        await using var c = await database.OpenAsync();
        return await Get<MonitorStateStore>().ListResultsAsync(c, model, 0, long.MaxValue);
    }

    /// <summary>GET /api/monitoring/churn/examples?from=&amp;to= with the viewer key: one JSON document per NDJSON line.</summary>
    public async Task<List<JsonElement>> ExamplesAsync(DateTimeOffset from, DateTimeOffset to)
    {
        using var http = new HttpClient { BaseAddress = _platform.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", _platform.Platform.Keys["viewer"]);
        string f = Uri.EscapeDataString(from.ToString("O", System.Globalization.CultureInfo.InvariantCulture)), t = Uri.EscapeDataString(to.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        using var response = await http.GetAsync(new Uri($"api/monitoring/churn/examples?from={f}&to={t}", UriKind.Relative));
        response.EnsureSuccessStatusCode();
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        string body = await response.Content.ReadAsStringAsync();
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    /// <summary>An HTTP client of the platform that calls with <paramref name="role"/>'s API key (null: no key).</summary>
    public HttpClient Http(string? role)
    {
        var http = new HttpClient { BaseAddress = _platform.BaseUrl };
        if (role is not null)
            http.DefaultRequestHeaders.Add("X-Api-Key", _platform.Platform.Keys[role]);
        return http;
    }

    public ValueTask DisposeAsync() => _platform.DisposeAsync();

    public static Message<string, byte[]> Message(PredictionEvent e) =>
        new() { Key = e.PredictionId, Value = JsonSerializer.SerializeToUtf8Bytes(e, ContractsJsonContext.Default.PredictionEvent) };

    public static Message<string, byte[]> Message(OutcomeEvent e) =>
        new() { Key = e.PredictionId, Value = JsonSerializer.SerializeToUtf8Bytes(e, ContractsJsonContext.Default.OutcomeEvent) };
}
