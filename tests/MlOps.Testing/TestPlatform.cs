using Microsoft.Extensions.Hosting;
using MlOps.Hosting;
using MlOps.Platform;
using MlOps.Storage;

namespace MlOps.Testing;

/// <summary>
/// The in-process platform for tests: <see cref="EmbeddedPlatform"/> — the same composition as <c>mlops up</c> — on a
/// free loopback port, a temporary data folder, and without reading <c>MLOPS__*</c> variables (CI exports those for
/// the distributed hosts). Deleting the folder on dispose.
/// </summary>
public sealed class TestPlatform : IAsyncDisposable
{
    private TestPlatform(EmbeddedPlatform platform, DirectoryInfo folder)
    {
        Platform = platform;
        Folder = folder;
    }

    public EmbeddedPlatform Platform { get; }

    public DirectoryInfo Folder { get; }

    public string Url => Platform.Url;

    public Uri BaseUrl => new(Platform.Url.EndsWith('/') ? Platform.Url : Platform.Url + "/");

    public IServiceProvider Services => Platform.Services;

    public T Get<T>() where T : notnull => Platform.Get<T>();

    /// <summary>Starts the given services (default: all) with <paramref name="settings"/> over the test defaults.</summary>
    public static async Task<TestPlatform> StartAsync(
        IReadOnlyDictionary<string, string?>? settings = null,
        IReadOnlyList<IMlOpsService>? services = null,
        string? bootstrapServers = null,
        StorageOptions? storage = null,
        IReadOnlyList<(string Name, string Role, string Key)>? apiKeys = null,
        Action<IHostApplicationBuilder>? configure = null,
        DirectoryInfo? folder = null)
    {
        folder ??= Directory.CreateTempSubdirectory("mlops-test-");
        var all = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>());
        if (storage is not null)
        {
            all.TryAdd("MlOps:Storage:Provider", storage.Provider.ToString());
            all.TryAdd("MlOps:Storage:ConnectionString", storage.ConnectionString);
        }

        var list = services ?? MlOps.Platform.Services.All;
        var options = new EmbeddedOptions(folder.FullName, Port: 0, Brokers: 1, Partitions: 3)
        {
            BootstrapServers = bootstrapServers,
            StartKafka = bootstrapServers is null && list.Any(s => s.Name == MlOps.Platform.Services.Monitoring.Name),
            ReadEnvironment = false,
            Settings = all,
            ExtraApiKeys = apiKeys ?? [],
            Services = list,
            Configure = configure,
        };
        try
        {
            return new TestPlatform(await EmbeddedPlatform.StartAsync(options, CancellationToken.None), folder);
        }
        catch
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Platform.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a closing handle; the temporary folder is cleaned by the OS.
        }
    }
}
