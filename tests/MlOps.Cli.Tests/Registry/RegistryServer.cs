
namespace MlOps.Cli.Tests.Registry;

/// <summary>
/// The real model registry (the service list's registry, as its host composes it), in-process on Kestrel at a free
/// port, with a temporary SQLite file and artifact folder.
/// Started once for the collection; each test uses its own model names so tests never see each other's data.
/// </summary>
public sealed class RegistryServer : IAsyncLifetime
{
    public const string AdminKey = "admin-key-0123456789abcdef";
    public const string AliceKey = "alice-approver-key-0123456789";
    public const string BobKey = "bob-approver-key-0123456789";
    public const string ViewerKey = "viewer-key-0123456789abcdef";

    private TestPlatform? _platform;

    /// <summary>The registry's base URL, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string Url { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _platform = await TestPlatform.StartAsync(
            services: [MlOps.Platform.Services.Registry],
            apiKeys: [("admin", "admin", AdminKey), ("alice", "approver", AliceKey), ("bob", "approver", BobKey), ("vera", "viewer", ViewerKey)]);
        Url = _platform.Url;
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
            await _platform.DisposeAsync();
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
