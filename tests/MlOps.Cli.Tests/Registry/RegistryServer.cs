using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MlOps.Registry;
using MlOps.Registry.Hosting;

namespace MlOps.Cli.Tests.Registry;

/// <summary>
/// The real model registry, in-process on Kestrel at a free port, with a temporary SQLite file and artifact folder.
/// Started once for the collection; each test uses its own model names so tests never see each other's data.
/// </summary>
public sealed class RegistryServer : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string AliceKey = "alice-approver-key-0123456789";
    public const string BobKey = "bob-approver-key-0123456789";
    public const string ViewerKey = "viewer-key-0123456789abcdef";

    private readonly string _root = Directory.CreateTempSubdirectory("mlops-cli-registry-").FullName;
    private WebApplication? _app;

    /// <summary>The registry's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlOps:Storage:Provider"] = "Sqlite",
            ["MlOps:Storage:ConnectionString"] = $"Data Source={Path.Combine(_root, "registry.db")}",
            ["MlOps:Registry:ArtifactsPath"] = Path.Combine(_root, "artifacts"),
            ["MlOps:Bus:Transport"] = "InMemory",
            ["MlOps:Auth:Mode"] = "ApiKeys",
            ["MlOps:Auth:ApiKeys:0:Name"] = "admin",
            ["MlOps:Auth:ApiKeys:0:Role"] = "admin",
            ["MlOps:Auth:ApiKeys:0:Key"] = AdminKey,
            ["MlOps:Auth:ApiKeys:1:Name"] = "alice",
            ["MlOps:Auth:ApiKeys:1:Role"] = "approver",
            ["MlOps:Auth:ApiKeys:1:Key"] = AliceKey,
            ["MlOps:Auth:ApiKeys:2:Name"] = "bob",
            ["MlOps:Auth:ApiKeys:2:Role"] = "approver",
            ["MlOps:Auth:ApiKeys:2:Key"] = BobKey,
            ["MlOps:Auth:ApiKeys:3:Name"] = "vera",
            ["MlOps:Auth:ApiKeys:3:Role"] = "viewer",
            ["MlOps:Auth:ApiKeys:3:Key"] = ViewerKey,
        });
        builder.AddMlOpsBus();
        builder.AddRegistry();
        _app = builder.Build();
        _app.UseMlOpsApi();
        _app.MapRegistry();
        await _app.StartAsync();
        Url = _app.Urls.Single();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }

    /// <summary>Runs <c>mlops</c> against this registry with the given key.</summary>
    public Task<(int ExitCode, string Out, string Error)> Run(string key, params string[] args) =>
        CliRunner.Run([.. args, "--registry", Url, "--api-key", key]);

    /// <summary>Runs <c>mlops … --format json</c> and parses what it prints; fails on a non-zero exit.</summary>
    public Task<System.Text.Json.JsonElement> Json(string key, params string[] args) =>
        CliRunner.Json([.. args, "--format", "json", "--registry", Url, "--api-key", key]);
}

[CollectionDefinition(Name)]
public sealed class UsesRegistryServer : ICollectionFixture<RegistryServer>
{
    public const string Name = "registry server";
}
