using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MlOps.Registry;
using MlOps.Registry.Hosting;

namespace MlOps.IntegrationTests.Registry;

/// <summary>
/// The real registry, composed exactly as its host's Program.cs does, on Kestrel at a free loopback port with its own
/// SQLite file and artifacts folder. Each test starts one, so no test sees another's models or pending promotions.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly DirectoryInfo _directory;

    private RegistryServer(WebApplication app, DirectoryInfo directory, Uri baseUrl)
    {
        _app = app;
        _directory = directory;
        BaseUrl = baseUrl;
    }

    /// <summary>Where the registry listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    public static async Task<RegistryServer> StartAsync()
    {
        var directory = Directory.CreateTempSubdirectory("mlops-registry-it-");
        var settings = new Dictionary<string, string?>
        {
            // Set explicitly: CI exports MLOPS__* variables for the distributed services, which must not leak in here.
            ["MlOps:Bus:Transport"] = "InMemory",
            ["MlOps:Storage:Provider"] = "Sqlite",
            ["MlOps:Storage:ConnectionString"] = $"Data Source={Path.Combine(directory.FullName, "registry.db")}",
            ["MlOps:Registry:ArtifactsPath"] = Path.Combine(directory.FullName, "artifacts"),
            ["MlOps:Auth:Mode"] = "ApiKeys",
        };
        for (int i = 0; i < TestUsers.All.Count; i++)
        {
            settings[$"MlOps:Auth:ApiKeys:{i}:Name"] = TestUsers.All[i].Name;
            settings[$"MlOps:Auth:ApiKeys:{i}:Role"] = TestUsers.All[i].Role;
            settings[$"MlOps:Auth:ApiKeys:{i}:Key"] = TestUsers.All[i].Key;
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = directory.FullName, EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddMlOpsBus();
        builder.AddRegistry();

        var app = builder.Build();
        app.UseMlOpsApi();
        app.MapRegistry();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            directory.Delete(recursive: true);
            throw;
        }

        // After start, Urls holds the address Kestrel actually bound (port 0 resolved).
        string address = app.Urls.Single();
        return new RegistryServer(app, directory, new Uri(address.EndsWith('/') ? address : address + "/"));
    }

    /// <summary>An HTTP client for the API, authenticated as <paramref name="user"/>.</summary>
    public HttpClient ClientFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Add("X-Api-Key", user.Key);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        SqliteConnection.ClearAllPools();
        _directory.Delete(recursive: true);
    }
}
