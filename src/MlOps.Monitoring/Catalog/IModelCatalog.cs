namespace MlOps.Monitoring.Catalog;

/// <summary>The models the monitor knows, read on the hot path from a cache that a background refresh keeps current.</summary>
public interface IModelCatalog
{
    /// <summary>The model's context, or null when the model is not registered.</summary>
    ModelContext? Find(string model);

    /// <summary>Every model the cache holds now.</summary>
    IReadOnlyCollection<ModelContext> All => [];

    /// <summary>
    /// The model's context; on a miss, reads the registry once more (at most every few seconds per name) before
    /// saying the model is unknown, so a record for a model registered a moment ago is monitored, not rejected. Callers
    /// that miss the same name at once share one read and all get its answer.
    /// </summary>
    ModelContext? FindOrLoad(string model) => Find(model);

    /// <summary>
    /// The model's context with <paramref name="version"/> in it: a version the cache does not know yet (registered
    /// after the last refresh) makes it re-read the model, at most every few seconds per version, so that the
    /// version's first window is profiled on its own reference.
    /// </summary>
    ModelContext FindOrLoad(ModelContext model, string version) => model;

    /// <summary>Reloads one model now (after a promotion or rollback switches its reference).</summary>
    Task RefreshAsync(string model, CancellationToken cancellationToken);

    /// <summary>Reloads every model.</summary>
    Task RefreshAllAsync(CancellationToken cancellationToken);
}
