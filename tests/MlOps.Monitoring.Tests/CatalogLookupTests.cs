using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Monitoring.Catalog;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// The monitor's catalog meeting a model it has not read yet, against a real registry: every processing thread that
/// meets the new model at once gets it (one waits for the read another started), so no partition's records of a
/// model registered a moment ago are rejected as unknown_model.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class CatalogLookupTests(KafkaClusterFixture kafka) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-catalog-").FullName;
    private MonitorHost? _host;

    private MonitorHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        string group = $"catalog-{Guid.NewGuid():N}";
        _host = await MonitorHost.StartAsync(kafka.Cluster.BootstrapServers, _data, group);
        await Host.RegisterModelAsync(windowMinutes: 1);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Threads_that_meet_a_new_model_at_once_all_get_it()
    {
        for (int round = 0; round < 5; round++)
        {
            // A catalog that has read nothing yet, as the monitor's is between a registration and its bus invalidation.
            var catalog = new RegistryModelCatalog(Host.Get<RegistryConnection>(), TimeProvider.System, NullLogger<RegistryModelCatalog>.Instance);
            using var together = new Barrier(4);
            var found = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
            {
                together.SignalAndWait();
                return catalog.FindOrLoad("churn");
            }, TaskCreationOptions.LongRunning)));

            Assert.All(found, context => Assert.Equal("churn", context?.Name));
        }
    }

    [Fact]
    public async Task Threads_that_meet_a_new_version_at_once_all_get_it()
    {
        var catalog = new RegistryModelCatalog(Host.Get<RegistryConnection>(), TimeProvider.System, NullLogger<RegistryModelCatalog>.Instance);
        var before = catalog.FindOrLoad("churn")!;
        // Version 2 is registered after this catalog read the model.
        using (var artifact = new MemoryStream([4, 5, 6]))
            await Host.RegistryAs("admin").RegisterVersionAsync("churn", new MlOps.Client.Registry.VersionUpload { Artifact = artifact, ArtifactFileName = "m2.bin" });
        using var together = new Barrier(4);
        var found = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Factory.StartNew(() =>
        {
            together.SignalAndWait();
            return catalog.FindOrLoad(before, "2");
        }, TaskCreationOptions.LongRunning)));

        Assert.All(found, context => Assert.True(context.Versions.ContainsKey("2"), "version 2 not seen"));
    }

    [Fact]
    public void A_name_the_registry_does_not_know_is_still_unknown()
    {
        var catalog = new RegistryModelCatalog(Host.Get<RegistryConnection>(), TimeProvider.System, NullLogger<RegistryModelCatalog>.Instance);

        Assert.Null(catalog.FindOrLoad("no-such-model"));
        Assert.Null(catalog.FindOrLoad("no-such-model"));
        Assert.Equal("churn", catalog.FindOrLoad("churn")?.Name);
    }
}
