using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>A registry app on a database of its own (a new SQLite file or PostgreSQL schema), dropped afterwards.</summary>
public sealed class IsolatedRegistry : IAsyncDisposable
{
    private readonly StorageOptions _storage;

    private IsolatedRegistry(StorageOptions storage, RegistryApp app)
    {
        _storage = storage;
        App = app;
        Driver = new RegistryDriver(app);
    }

    public RegistryApp App { get; }

    public RegistryDriver Driver { get; }

    public static async Task<IsolatedRegistry> StartAsync(StorageProvider provider, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var storage = provider == StorageProvider.Postgres ? await TestDatabases.NewPostgresSchemaAsync() : TestDatabases.NewSqlite();
        try
        {
            return new IsolatedRegistry(storage, await RegistryApp.StartAsync(storage, settings));
        }
        catch
        {
            await TestDatabases.DropAsync(storage);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await TestDatabases.DropAsync(_storage);
    }
}
