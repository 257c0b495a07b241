using System.Globalization;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MlOps.Kafka;
using MlOps.Monitoring;
using MlOps.Registry;
using MlOps.Registry.Hosting;

namespace MlOps.Cli.Platform;

/// <summary>Settings of the embedded platform.</summary>
internal sealed record EmbeddedOptions(string DataFolder, int Port, int Brokers, int Partitions, LogLevel LogLevel = LogLevel.Warning);

/// <summary>
/// Every service in one process: the in-process Kafka-protocol cluster, the registry (API and web page), the
/// streaming monitor, SQLite in the data folder and the in-memory MassTransit bus. Same code as the distributed hosts;
/// only the wiring differs.
/// </summary>
internal sealed class EmbeddedPlatform : IAsyncDisposable
{
    private readonly KafkaDevCluster _kafka;

    private EmbeddedPlatform(KafkaDevCluster kafka, WebApplication app, string url, string adminKey)
    {
        _kafka = kafka;
        App = app;
        Url = url;
        AdminKey = adminKey;
    }

    public WebApplication App { get; }

    public string Url { get; }

    public string BootstrapServers => _kafka.BootstrapServers;

    /// <summary>The admin API key of this run (written to the data folder, never logged).</summary>
    public string AdminKey { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<EmbeddedPlatform> StartAsync(EmbeddedOptions options, CancellationToken cancellationToken)
    {
        string data = Path.GetFullPath(options.DataFolder);
        Directory.CreateDirectory(data);
        string adminKey = LoadOrCreateKey(Path.Combine(data, "admin.key"));
        var kafka = KafkaDevCluster.Start(options.Brokers);
        try
        {
            // The mock cluster does not implement CreateTopics: topics are made on it directly.
            foreach (var topic in KafkaTopics.Defaults(options.Partitions))
                kafka.CreateTopic(topic.Name, topic.Partitions);
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.SetMinimumLevel(options.LogLevel);
            builder.WebHost.UseUrls($"http://127.0.0.1:{options.Port.ToString(CultureInfo.InvariantCulture)}");
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MlOps:Storage:Provider"] = "Sqlite",
                ["MlOps:Storage:ConnectionString"] = $"Data Source={Path.Combine(data, "mlops.db")}",
                ["MlOps:Registry:ArtifactsPath"] = Path.Combine(data, "artifacts"),
                ["MlOps:Bus:Transport"] = "InMemory",
                ["MlOps:Auth:Mode"] = "ApiKeys",
                ["MlOps:Auth:ApiKeys:0:Name"] = "admin",
                ["MlOps:Auth:ApiKeys:0:Role"] = "admin",
                ["MlOps:Auth:ApiKeys:0:Key"] = adminKey,
                ["MlOps:Monitoring:BootstrapServers"] = kafka.BootstrapServers,
                ["MlOps:Registry:KafkaBootstrapServers"] = kafka.BootstrapServers,
                ["MlOps:Monitoring:CloseInterval"] = "00:00:01",
                ["MlOps:Monitoring:CheckpointInterval"] = "00:00:01",
                ["MlOps:Monitoring:IdleTimeout"] = "00:00:05",
            });
            builder.Configuration.AddEnvironmentVariables();
            builder.AddMlOpsBus(bus => bus.AddMonitoringConsumers());
            builder.AddRegistry();
            builder.AddMonitoring();
            var app = builder.Build();
            app.UseMlOpsApi();
            app.MapRegistry();
            app.MapMonitoring();
            await app.StartAsync(cancellationToken);
            string url = app.Urls.First();
            return new EmbeddedPlatform(kafka, app, url, adminKey);
        }
        catch
        {
            kafka.Dispose();
            throw;
        }
    }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
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
