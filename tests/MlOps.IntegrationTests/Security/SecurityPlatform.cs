using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using MlOps.IntegrationTests.Platform;
using MlOps.Storage;
using MlOps.Testing.Security;
using Npgsql;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// The whole platform (every service, as <c>mlops up</c> composes it) on PostgreSQL — the store that refuses what
/// SQLite lets through, such as NUL in text — seeded through its API, with two webhook receivers that always fail
/// (one answers 503, one refuses the connection), and every log event at every level captured.
/// </summary>
public abstract class SecurityPlatform : IAsyncLifetime
{
    public const string WebhookSecret = "whsec-hostile-receiver-one-0123456789";
    public const string SecondWebhookSecret = "whsec-hostile-receiver-two-9876543210";

    /// <summary>A token in a webhook URL's query, as chat services put them: a secret as well.</summary>
    public const string UrlToken = "urltoken-5f1e0c9a7b3d";

    // The tables the monitor writes on its own schedule (checkpoints), whatever the requests.
    private static readonly string[] MovingTables = ["monitor_offsets", "window_partials", "partition_watermarks", "model_watermarks", "window_label_partials", "schema_migrations"];

    private readonly Dictionary<string, HttpClient> _clients = [];
    private TestPlatform? _platform;
    private WebhookReceiver? _receiver;
    private StorageOptions? _storage;
    private NpgsqlDataSource? _store;
    private IReadOnlyList<string> _tables = [];
    private IReadOnlyDictionary<string, string>? _lastStore;

    public CapturedLogs Logs { get; } = new();

    public TestPlatform Platform => _platform ?? throw new InvalidOperationException("Not started.");

    public Uri Server => new(Platform.Url);

    public Seed Seed { get; private set; } = null!;

    public MappedEndpoints Endpoints { get; private set; } = null!;

    /// <summary>Every API key the host accepts (the four of the data folder and the in-process ones) and the webhook secrets.</summary>
    public IReadOnlyList<string> Secrets { get; private set; } = [];

    /// <summary>A client that calls as a role of the data folder's keys.</summary>
    public HttpClient As(string role)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(role, out var client))
            {
                client = new HttpClient { BaseAddress = Platform.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
                client.DefaultRequestHeaders.Add("X-Api-Key", Platform.Platform.Keys[role]);
                _clients[role] = client;
            }

            return client;
        }
    }

    public string KeyOf(string role) => Platform.Platform.Keys[role];

    public async Task InitializeAsync()
    {
        _receiver = await WebhookReceiver.StartAsync();
        _receiver.FailNext(int.MaxValue);
        _storage = await TestDatabases.NewPostgresSchemaAsync();
        var settings = new Dictionary<string, string?>
        {
            ["MlOps:Alerts:Webhooks:0:Url"] = $"{_receiver.Url}?token={UrlToken}",
            ["MlOps:Alerts:Webhooks:0:Secret"] = WebhookSecret,
            ["MlOps:Alerts:Webhooks:0:Name"] = "failing",
            ["MlOps:Alerts:Webhooks:1:Url"] = $"http://127.0.0.1:9/hook?token={UrlToken}",
            ["MlOps:Alerts:Webhooks:1:Secret"] = SecondWebhookSecret,
            ["MlOps:Alerts:MaxAttempts"] = "2",
            ["MlOps:Alerts:RetryBaseDelay"] = "00:00:00.050",
            ["MlOps:Alerts:DispatchInterval"] = "00:00:00.050",
            ["MlOps:Alerts:RequestTimeout"] = "00:00:02",
        };
        _platform = await TestPlatform.StartAsync(settings, storage: _storage, configure: builder =>
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
        });
        var configuration = (IConfiguration)Platform.Services.GetService(typeof(IConfiguration))!;
        Secrets =
        [
            .. configuration.GetSection("MlOps:Auth:ApiKeys").GetChildren().Select(k => k["Key"]).OfType<string>(),
            WebhookSecret,
            SecondWebhookSecret,
            UrlToken,
        ];
        Endpoints = MappedEndpoints.Of(Platform.Services);
        await Health.WaitReadyAsync(Platform.BaseUrl, "the platform");
        Seed = await Seed.CreateAsync(As, "");
        await FailDeliveriesAsync();
        _store = new NpgsqlDataSourceBuilder(_storage.ConnectionString) { Name = "mlops-tests-store" }.Build();
        await using var c = await _store.OpenConnectionAsync();
        _tables = [.. (await c.QueryAsync<string>("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name")).Except(MovingTables)];
        await RebaseStoreAsync();
    }

    /// <summary>
    /// Every row of every table (except the monitor's checkpoints) and the artifact files, digested: equal before and
    /// after a request that must change nothing.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> StoreAsync()
    {
        string sql = string.Join(" UNION ALL ", _tables.Select(t => $"SELECT '{t}' AS t, count(*) || ':' || coalesce(md5(string_agg(x::text, '|' ORDER BY x::text)), '') AS d FROM {t} x"));
        await using var c = await _store!.OpenConnectionAsync();
        var digest = (await c.QueryAsync<(string T, string D)>(sql)).ToDictionary(r => r.T, r => r.D);
        var artifacts = new DirectoryInfo(Path.Combine(Platform.Folder.FullName, "artifacts"));
        digest["(artifact files)"] = artifacts.Exists ? string.Join(",", artifacts.EnumerateFiles("*", SearchOption.AllDirectories).Select(f => $"{f.Name}:{f.Length}").Order(StringComparer.Ordinal)) : "";
        return digest;
    }

    /// <summary>
    /// Fails when the store differs from what the previous call (or <see cref="RebaseStoreAsync"/>) saw: after each
    /// request that must change nothing. One digest per request: the one before is the previous one after.
    /// </summary>
    public async Task AssertStoreUnchangedAsync(string what)
    {
        var before = _lastStore ?? throw new InvalidOperationException("No digest of the store yet.");
        var after = await StoreAsync();
        _lastStore = after;
        AssertSameStore(before, after, what);
    }

    /// <summary>Takes the store as it is now as the state later requests must leave alone (after a test that writes on purpose).</summary>
    public async Task RebaseStoreAsync() => _lastStore = await StoreAsync();

    private static void AssertSameStore(IReadOnlyDictionary<string, string> before, IReadOnlyDictionary<string, string> after, string what)
    {
        var changed = before.Keys.Union(after.Keys).Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k)).ToList();
        if (changed.Count > 0)
            throw new Xunit.Sdk.XunitException($"{what} changed the store: {string.Join(", ", changed)}");
    }

    public async Task DisposeAsync()
    {
        foreach (var client in _clients.Values)
            client.Dispose();
        if (_platform is not null)
            await _platform.DisposeAsync();
        if (_store is not null)
            await _store.DisposeAsync();
        if (_receiver is not null)
            await _receiver.DisposeAsync();
        if (_storage is not null)
            await TestDatabases.DropAsync(_storage);
    }

    // An alert that both receivers fail to take, until its deliveries are dead: the log then holds failed
    // deliveries, and the alert tables stay still while the tests compare them.
    private async Task FailDeliveriesAsync()
    {
        var payload = new
        {
            alerts = new[] { new { status = "firing", labels = new { alertname = "MlOpsSeeded", model = Seed.Model }, annotations = new { summary = "seeded" }, startsAt = "2026-12-01T10:00:00Z", fingerprint = "seed" } },
        };
        using var response = await As("approver").PostAsJsonAsync("api/alerts/alertmanager", payload, JsonSerializerOptions.Web);
        response.EnsureSuccessStatusCode();
        await Eventually.HoldsAsync(async () =>
        {
            string alerts = await As("viewer").GetStringAsync("api/alerts?kind=alertmanager");
            return CountOf(alerts, "\"state\":\"dead\"") == 2;
        }, "both deliveries of the seeded alert are dead");
    }

    private static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

/// <summary>The shared platform: its store must not change (every test that writes uses <see cref="WritablePlatform"/>).</summary>
public sealed class HostilePlatform : SecurityPlatform;

/// <summary>A platform of its own for the tests that write: each seeds a namespace of its own on it.</summary>
public sealed class WritablePlatform : SecurityPlatform
{
    private int _namespaces;

    public Task<Seed> NewSeedAsync() => Seed.CreateAsync(As, $"w{Interlocked.Increment(ref _namespaces)}-");
}

[CollectionDefinition(Name)]
public sealed class HostilePlatformCollection : ICollectionFixture<HostilePlatform>
{
    public const string Name = "hostile platform";
}
