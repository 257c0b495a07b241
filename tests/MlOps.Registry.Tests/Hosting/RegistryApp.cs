using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MlOps.Hosting;
using MlOps.Hosting.Bus;
using MlOps.Hosting.Security;
using MlOps.Storage;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>
/// The real registry app, composed the way its host composes it (<c>AddMlOps(Services.Registry)</c>,
/// <c>MapMlOps</c>) plus a recorder of lifecycle events, served in-process by the test server, on its own database,
/// artifact folder, in-memory bus and fake clock.
/// </summary>
public sealed class RegistryApp : IAsyncDisposable
{
    /// <summary>Where the fake clock starts.</summary>
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;
    private readonly string _artifacts;
    private readonly Dictionary<string, HttpClient> _clients = [];

    private RegistryApp(WebApplication app, string artifacts, FakeTimeProvider time, ReceivedLifecycleEvents events, CapturedErrors errors)
    {
        _app = app;
        _artifacts = artifacts;
        Time = time;
        Events = events;
        Errors = errors;
    }

    public FakeTimeProvider Time { get; }

    public ReceivedLifecycleEvents Events { get; }

    public CapturedErrors Errors { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>Starts the app; <paramref name="settings"/> override the test configuration.</summary>
    public static async Task<RegistryApp> StartAsync(StorageOptions storage, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        string artifacts = Directory.CreateTempSubdirectory("mlops-registry-tests-").FullName;
        // No file watchers for appsettings: a test host is built hundreds of times and configured in memory.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.WebHost.UseTestServer();
        builder.Configuration.AddInMemoryCollection(
        [
            new("MlOps:Storage:Provider", storage.Provider.ToString()),
            new("MlOps:Storage:ConnectionString", storage.ConnectionString),
            new("MlOps:Registry:ArtifactsPath", artifacts),
            new("MlOps:Bus:Transport", nameof(BusTransport.InMemory)),
            new("MlOps:Auth:Mode", nameof(AuthMode.ApiKeys)),
            .. Callers.Configuration(),
        ]);
        // A second source, so a test's settings override the defaults above instead of colliding with them.
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        var errors = new CapturedErrors();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(errors);

        var time = new FakeTimeProvider(Start);
        var events = new ReceivedLifecycleEvents();
        // Registered before AddMlOps, whose TryAdd then keeps it.
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton(events);
        builder.AddMlOps(MlOps.Platform.Services.Registry, new LifecycleRecorderService());

        var app = builder.Build();
        app.MapMlOps();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            Directory.Delete(artifacts, recursive: true);
            throw;
        }

        return new RegistryApp(app, artifacts, time, events, errors);
    }

    /// <summary>A client that calls as <paramref name="caller"/> (see <see cref="Callers"/>).</summary>
    public HttpClient Client(string caller)
    {
        lock (_clients)
        {
            if (_clients.TryGetValue(caller, out var existing))
                return existing;
            var client = new HttpClient(new ServerErrorGuard(Errors, _app.GetTestServer().CreateHandler()))
            {
                BaseAddress = _app.GetTestServer().BaseAddress,
            };
            if (caller == Callers.Stranger)
                client.DefaultRequestHeaders.Add("X-Api-Key", "not-a-key-the-registry-knows");
            else if (caller != Callers.Anonymous)
                client.DefaultRequestHeaders.Add("X-Api-Key", Callers.KeyOf(caller));
            _clients[caller] = client;
            return client;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_artifacts, recursive: true);
    }
}
