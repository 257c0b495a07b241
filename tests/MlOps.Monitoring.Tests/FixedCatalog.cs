using MlOps.Monitoring.Catalog;

namespace MlOps.Monitoring.Tests;

/// <summary>A catalog with fixed contents (the registry-backed one is tested through the host).</summary>
internal sealed class FixedCatalog(params ModelContext[] models) : IModelCatalog
{
    private readonly Dictionary<string, ModelContext> _models = models.ToDictionary(m => m.Name);

    public ModelContext? Find(string model) => _models.GetValueOrDefault(model);

    public Task RefreshAsync(string model, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RefreshAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
