namespace MlOps.IntegrationTests.Registry;

/// <summary>
/// The real registry, composed from the service list as its host's Program.cs does, on Kestrel at a free loopback port with its own
/// SQLite file and artifacts folder. Each test starts one, so no test sees another's models or pending promotions.
/// </summary>
public sealed class RegistryServer : IAsyncDisposable
{
    private readonly TestPlatform _platform;

    private RegistryServer(TestPlatform platform) => _platform = platform;

    /// <summary>Where the registry listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl => _platform.BaseUrl;

    /// <summary>The registry alone, or with the retraining orchestrator in the same process (as <c>mlops up</c> runs them).</summary>
    public static async Task<RegistryServer> StartAsync(bool withOrchestrator = false) =>
        new(await TestPlatform.StartAsync(
            services: withOrchestrator ? [MlOps.Platform.Services.Registry, MlOps.Platform.Services.Orchestration] : [MlOps.Platform.Services.Registry],
            apiKeys: [.. TestUsers.All.Select(u => (u.Name, u.Role, u.Key))]));

    /// <summary>A service of the host.</summary>
    public T Get<T>() where T : notnull => _platform.Get<T>();

    /// <summary>An HTTP client for the API, authenticated as <paramref name="user"/>.</summary>
    public HttpClient ClientFor(TestUser user)
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Add("X-Api-Key", user.Key);
        return client;
    }

    public ValueTask DisposeAsync() => _platform.DisposeAsync();
}
