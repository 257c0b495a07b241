using System.Net;
using System.Text.Json;

namespace MlOps.Monitoring.Tests;

/// <summary>GET /api/monitoring/models: what the monitor watches, read from its catalog, for viewers only.</summary>
[Collection(KafkaCollection.Name)]
public sealed class MonitoredModelsApiTests(KafkaClusterFixture kafka) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-models-api-").FullName;
    private readonly string _group = $"models-{Guid.NewGuid():N}";
    private MonitorHost? _host;

    private MonitorHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
            kafka.Cluster.CreateTopic($"{_group}.{topic}", 1);
        _host = await MonitorHost.StartAsync(kafka.Cluster.BootstrapServers, _data, _group);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Lists_each_watched_model_with_its_task_champion_reference_versions_and_window()
    {
        using var viewer = Host.Http("viewer");
        Assert.Empty(await ModelsAsync(viewer));

        await Host.RegisterModelAsync(windowMinutes: 2);
        var model = Assert.Single(await ModelsAsync(viewer));
        Assert.Equal("churn", model.GetProperty("name").GetString());
        Assert.Equal("binary", model.GetProperty("task").GetString());
        Assert.Equal("1", model.GetProperty("championVersion").GetString());
        Assert.Equal(["1"], model.GetProperty("referenceVersions").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(2, model.GetProperty("windowMinutes").GetDouble());
    }

    [Theory]
    [InlineData(null, HttpStatusCode.Unauthorized)]
    [InlineData("producer", HttpStatusCode.Forbidden)]
    public async Task Only_reading_roles_may_list(string? role, HttpStatusCode expected)
    {
        using var http = Host.Http(role);
        using var response = await http.GetAsync(new Uri("api/monitoring/models", UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
    }

    private static async Task<List<JsonElement>> ModelsAsync(HttpClient http)
    {
        using var response = await http.GetAsync(new Uri("api/monitoring/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone())];
    }
}
