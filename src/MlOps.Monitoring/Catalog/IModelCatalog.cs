namespace MlOps.Monitoring.Catalog;

/// <summary>The models the monitor knows, read on the hot path from a cache that a background refresh keeps current.</summary>
public interface IModelCatalog
{
    /// <summary>The model's context, or null when the model is not registered.</summary>
    ModelContext? Find(string model);

    /// <summary>Reloads one model now (after a promotion or rollback switches its reference).</summary>
    Task RefreshAsync(string model, CancellationToken cancellationToken);

    /// <summary>Reloads every model.</summary>
    Task RefreshAllAsync(CancellationToken cancellationToken);
}
