using System.Globalization;
using System.Text;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Ingest;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// The ingest endpoint's judgement of a body's records when the catalog has not caught up with the registry: a model
/// registered a moment ago is read once more and its records are accepted, not rejected as unknown_model.
/// </summary>
public sealed class IngestJudgeTests
{
    [Fact]
    public async Task Records_of_a_model_the_catalog_learns_only_on_a_second_read_are_accepted()
    {
        var catalog = new CatalogBehindRegistry(TestModels.Context());
        List<ReadOnlyMemory<byte>> items = [Record("p-1", "churn"), Record("p-2", "churn"), Record("p-3", "no-such-model")];

        var results = await IngestApi.JudgeAsync(IngestKind.Predictions, items, catalog, CancellationToken.None);

        Assert.Equal(["p-1", "p-2", null], results.Select(r => r.Key));
        Assert.Equal("unknown_model", results[2].Rejection?.Reason);
        // One read per unknown name, however many of its records the body holds.
        Assert.Equal(["churn", "no-such-model"], catalog.Refreshed.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_body_of_known_models_reads_nothing_again()
    {
        var catalog = new CatalogBehindRegistry(TestModels.Context());
        await catalog.RefreshAsync("churn", CancellationToken.None);
        catalog.Refreshed.Clear();

        var results = await IngestApi.JudgeAsync(IngestKind.Predictions, [Record("p-1", "churn")], catalog, CancellationToken.None);

        Assert.Equal("p-1", results.Single().Key);
        Assert.Empty(catalog.Refreshed);
    }

    private static ReadOnlyMemory<byte> Record(string id, string model) => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
        $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","modelVersion":"1","timestamp":"2026-12-01T10:00:00Z","features":{"age":41,"income":52000,"plan":"basic"},"prediction":"1","score":0.7}"""));

    // Knows the registry's models only after RefreshAsync names them, as the monitor's cache does between its refreshes.
    private sealed class CatalogBehindRegistry(params ModelContext[] registry) : IModelCatalog
    {
        private readonly Dictionary<string, ModelContext> _known = [];

        public List<string> Refreshed { get; } = [];

        public ModelContext? Find(string model) => _known.GetValueOrDefault(model);

        public Task RefreshAsync(string model, CancellationToken cancellationToken)
        {
            Refreshed.Add(model);
            if (registry.FirstOrDefault(m => m.Name == model) is { } context)
                _known[model] = context;
            return Task.CompletedTask;
        }

        public Task RefreshAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
