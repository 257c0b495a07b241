using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Hosting;
using MlOps.Kafka;

namespace MlOps.Platform;

/// <summary>Settings of the embedded platform.</summary>
/// <param name="DataFolder">SQLite file, artifacts and the API keys (<c>admin.key</c>, <c>approver.key</c>, <c>viewer.key</c>, <c>producer.key</c>).</param>
/// <param name="Port">HTTP port on 127.0.0.1 (0: any free port).</param>
/// <param name="Brokers">Brokers of the in-process Kafka-protocol cluster.</param>
/// <param name="Partitions">Partitions of each default topic.</param>
/// <param name="LogLevel">Minimum log level.</param>
public sealed record EmbeddedOptions(string DataFolder, int Port, int Brokers, int Partitions, LogLevel LogLevel = LogLevel.Warning)
{
    /// <summary>Use this Kafka instead of starting an in-process cluster (tests that share one cluster).</summary>
    public string? BootstrapServers { get; init; }

    /// <summary>Configuration that overrides the platform's defaults (environment variables still override both).</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>Read <c>MLOPS__*</c> environment variables (off in tests, where CI exports settings for the distributed hosts).</summary>
    public bool ReadEnvironment { get; init; } = true;

    /// <summary>Start the in-process Kafka-protocol cluster when <see cref="BootstrapServers"/> is not set (off: a registry-only host without Kafka).</summary>
    public bool StartKafka { get; init; } = true;

    /// <summary>API keys besides the three of the data folder (tests add their named callers).</summary>
    public IReadOnlyList<(string Name, string Role, string Key)> ExtraApiKeys { get; init; } = [];

    /// <summary>The services to compose (default: the whole service list).</summary>
    public IReadOnlyList<IMlOpsService> Services { get; init; } = MlOps.Platform.Services.All;

    /// <summary>Services added before the host is built (tests replace the clock or record bus messages here).</summary>
    public Action<IHostApplicationBuilder>? Configure { get; init; }
}

/// <summary>
/// Every service of the service list in one process: the in-process Kafka-protocol cluster, SQLite in the data folder
/// and the in-memory MassTransit bus. Same code as the distributed hosts; only the wiring differs. <c>mlops up</c>,
/// <c>mlops demo</c> and the integration tests run this.
/// </summary>
public sealed class EmbeddedPlatform : IAsyncDisposable
{
    /// <summary>Who the retraining saga and the trainer are in the audit log (an in-process admin key).</summary>
    public const string RetrainingPrincipal = "retraining";

    /// <summary>The API key files written to the data folder, by role.</summary>
    public static readonly IReadOnlyList<string> KeyRoles = ["admin", "approver", "viewer", "producer"];

    private readonly KafkaDevCluster? _kafka;
    private readonly Dictionary<string, (HttpClient Http, RegistryClient Client)> _clients = [];

    private EmbeddedPlatform(KafkaDevCluster? kafka, string? bootstrap, WebApplication app, string url, IReadOnlyDictionary<string, string> keys)
    {
        _kafka = kafka;
        BootstrapServers = bootstrap;
        App = app;
        Url = url;
        Keys = keys;
    }

    /// <summary>The host.</summary>
    public WebApplication App { get; }

    /// <summary>The web page, API, health and <c>/metrics</c> address, e.g. <c>http://127.0.0.1:5080</c>.</summary>
    public string Url { get; }

    /// <summary>Kafka bootstrap servers that apps produce to (null when started without Kafka).</summary>
    public string? BootstrapServers { get; }

    /// <summary>API keys by role (<c>admin</c>, <c>approver</c>, <c>viewer</c>), as written to the data folder; never logged.</summary>
    public IReadOnlyDictionary<string, string> Keys { get; }

    /// <summary>The admin API key of this data folder.</summary>
    public string AdminKey => Keys["admin"];

    /// <summary>The host's services.</summary>
    public IServiceProvider Services => App.Services;

    /// <summary>Starts the cluster (unless <see cref="EmbeddedOptions.BootstrapServers"/> names one) and the host.</summary>
    public static async Task<EmbeddedPlatform> StartAsync(EmbeddedOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        string data = Path.GetFullPath(options.DataFolder);
        Directory.CreateDirectory(data);
        var keys = KeyRoles.ToDictionary(role => role, role => LoadOrCreateKey(Path.Combine(data, $"{role}.key")));
        // The monitor reads the registry over HTTP like any client; its key lives only in this process.
        string monitorKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        // So do the retraining saga and the trainer: one principal, "retraining", that registers challengers and
        // requests their promotion (so one human approver suffices under four-eyes).
        string retrainingKey = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        KafkaDevCluster? kafka = null;
        if (options.BootstrapServers is null && options.StartKafka)
        {
            kafka = KafkaDevCluster.Start(options.Brokers);
            // The mock cluster does not implement CreateTopics: topics are made on it directly.
            foreach (var topic in KafkaTopics.Defaults(options.Partitions))
                kafka.CreateTopic(topic.Name, topic.Partitions);
        }

        string? bootstrap = options.BootstrapServers ?? kafka?.BootstrapServers;
        WebApplication? app = null;
        try
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions
            {
                ContentRootPath = AppContext.BaseDirectory,
                EnvironmentName = Environments.Production,
                // Configured in memory: no file watchers (tests build many hosts).
                Args = ["--hostBuilder:reloadConfigOnChange=false"],
            });
            builder.Logging.SetMinimumLevel(options.LogLevel);
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}");
            var settings = new Dictionary<string, string?>
            {
                ["MlOps:Storage:Provider"] = "Sqlite",
                ["MlOps:Storage:ConnectionString"] = $"Data Source={Path.Combine(data, "mlops.db")}",
                ["MlOps:Registry:ArtifactsPath"] = Path.Combine(data, "artifacts"),
                ["MlOps:Registry:KafkaBootstrapServers"] = bootstrap,
                ["MlOps:Bus:Transport"] = "InMemory",
                ["MlOps:Auth:Mode"] = "ApiKeys",
                ["MlOps:Monitoring:BootstrapServers"] = bootstrap,
                ["MlOps:Monitoring:RegistryApiKey"] = monitorKey,
                ["MlOps:Monitoring:CloseInterval"] = "00:00:01",
                ["MlOps:Monitoring:CheckpointInterval"] = "00:00:01",
                ["MlOps:Monitoring:IdleTimeout"] = "00:00:05",
                ["MlOps:Orchestration:RegistryApiKey"] = retrainingKey,
                ["MlOps:Orchestration:MonitoringApiKey"] = retrainingKey,
                ["MlOps:Orchestration:SweepInterval"] = "00:00:01",
                ["MlOps:Training:RegistryApiKey"] = retrainingKey,
                ["MlOps:Training:MonitoringApiKey"] = retrainingKey,
            };
            if (bootstrap is null)
            {
                settings.Remove("MlOps:Registry:KafkaBootstrapServers");
                settings.Remove("MlOps:Monitoring:BootstrapServers");
            }

            List<(string Name, string Role, string Key)> apiKeys = [.. keys.Select(k => (k.Key, k.Key, k.Value)), ("monitor", "viewer", monitorKey), (RetrainingPrincipal, "admin", retrainingKey), .. options.ExtraApiKeys];
            for (int k = 0; k < apiKeys.Count; k++)
            {
                settings[$"MlOps:Auth:ApiKeys:{k}:Name"] = apiKeys[k].Name;
                settings[$"MlOps:Auth:ApiKeys:{k}:Role"] = apiKeys[k].Role;
                settings[$"MlOps:Auth:ApiKeys:{k}:Key"] = apiKeys[k].Key;
            }

            builder.Configuration.AddInMemoryCollection(settings);
            builder.Configuration.AddInMemoryCollection(options.Settings);
            if (options.ReadEnvironment)
                builder.Configuration.AddEnvironmentVariables();
            options.Configure?.Invoke(builder);
            builder.AddMlOps(options.Services);
            app = builder.Build();
            app.MapMlOps();
            await app.StartAsync(cancellationToken);
            return new EmbeddedPlatform(kafka, bootstrap, app, app.Urls.First(), keys);
        }
        catch
        {
            // A host that failed to start (a bad setting, a port in use) releases what it opened.
            if (app is not null)
                await app.DisposeAsync();
            kafka?.Dispose();
            throw;
        }
    }

    /// <summary>A service of the host.</summary>
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>A registry client that calls as <paramref name="role"/> (one of <see cref="KeyRoles"/>), kept until the platform stops.</summary>
    public RegistryClient RegistryAs(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var entry))
            {
                var http = RegistryClient.CreateHttpClient(new Uri(Url), Keys[role]);
                entry = (http, new RegistryClient(http));
                _clients[role] = entry;
            }

            return entry.Client;
        }
    }

    /// <summary>
    /// Makes <paramref name="version"/> champion the way people do under four-eyes: the admin requests, the approver
    /// approves (unless the model's policy approved it at once). Returns the request as it ended.
    /// </summary>
    public async Task<PromotionResponse> PromoteAsync(string model, string version, string? notes = null, CancellationToken cancellationToken = default)
    {
        var request = await RegistryAs("admin").RequestPromotionAsync(new PromotionRequestBody { Model = model, Version = version, Notes = notes }, cancellationToken);
        return request.State == "pending"
            ? await RegistryAs("approver").ApprovePromotionAsync(request.Id, notes, cancellationToken)
            : request;
    }

    /// <summary>Stops the host (final checkpoint) and then the cluster.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_clients)
        {
            foreach (var (http, _) in _clients.Values)
                http.Dispose();
            _clients.Clear();
        }

        await App.StopAsync();
        await App.DisposeAsync();
        if (_kafka is not null)
            await _kafka.DisposeAsync();
    }

    private static string LoadOrCreateKey(string path)
    {
        if (File.Exists(path))
            return File.ReadAllText(path).Trim();
        string key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return key;
    }
}
