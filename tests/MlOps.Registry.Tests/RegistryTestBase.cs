using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>
/// Every test starts its own registry app on its own database: a new SQLite file or a new PostgreSQL schema. Suites
/// are abstract and run once per provider through two small derived classes.
/// </summary>
public abstract class RegistryTestBase(StorageProvider provider) : IAsyncLifetime
{
    private IsolatedRegistry? _registry;

    protected StorageProvider Provider => provider;

    protected RegistryApp App => Started.App;

    protected RegistryDriver Registry => Started.Driver;

    private IsolatedRegistry Started => _registry ?? throw new InvalidOperationException("The registry starts in InitializeAsync.");

    public async Task InitializeAsync() => _registry = await IsolatedRegistry.StartAsync(provider);

    public async Task DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
    }
}
