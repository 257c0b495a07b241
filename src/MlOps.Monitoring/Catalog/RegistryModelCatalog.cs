using System.Collections.Frozen;
using MlOps.Registry.Models;

namespace MlOps.Monitoring.Catalog;

/// <summary>
/// A catalog over the registry in the same process: every model's schema and monitoring settings, and the champion's
/// reference profile and training metrics. The cache is swapped whole, so readers never lock.
/// </summary>
public sealed class RegistryModelCatalog(ModelRegistry registry) : IModelCatalog
{
    private FrozenDictionary<string, ModelContext> _models = FrozenDictionary<string, ModelContext>.Empty;
    private readonly SemaphoreSlim _refresh = new(1, 1);

    public ModelContext? Find(string model) => _models.GetValueOrDefault(model);

    public async Task RefreshAsync(string model, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var context = await LoadAsync(model, cancellationToken);
            var copy = new Dictionary<string, ModelContext>(_models, StringComparer.Ordinal);
            if (context is null)
                copy.Remove(model);
            else
                copy[model] = context;
            _models = copy.ToFrozenDictionary(StringComparer.Ordinal);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var all = new Dictionary<string, ModelContext>(StringComparer.Ordinal);
            foreach (var model in await registry.ListAsync(cancellationToken))
            {
                if (await LoadAsync(model.Name, cancellationToken) is { } context)
                    all[model.Name] = context;
            }

            _models = all.ToFrozenDictionary(StringComparer.Ordinal);
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<ModelContext?> LoadAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var model = await registry.GetAsync(name, cancellationToken);
            var reference = await registry.GetChampionReferenceAsync(name, cancellationToken);
            IReadOnlyDictionary<string, double> metrics = new Dictionary<string, double>();
            if (model.Aliases.TryGetValue(ModelRegistry.Champion, out var champion))
                metrics = (await registry.GetVersionAsync(name, champion, cancellationToken)).Metrics;
            return new ModelContext(model.Schema, model.Monitoring, reference?.Version ?? (model.Aliases.TryGetValue(ModelRegistry.Champion, out var c) ? c : null), reference?.Profile, metrics);
        }
        catch (Registry.RegistryException e) when (e.Status == 404)
        {
            return null;
        }
    }
}
