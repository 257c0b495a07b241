using MassTransit;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Monitoring.Catalog;

/// <summary>
/// Re-reads a model in the catalog as soon as the registry says it changed: a new model or version (monitored from
/// its first event), a promotion or a rollback (the reference switches at once). Runs on every monitor instance.
/// </summary>
public sealed class CatalogInvalidationConsumer(IModelCatalog catalog) :
    IConsumer<ModelRegistered>, IConsumer<ModelVersionRegistered>, IConsumer<ModelPromoted>, IConsumer<ModelRolledBack>
{
    public Task Consume(ConsumeContext<ModelRegistered> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);

    public Task Consume(ConsumeContext<ModelVersionRegistered> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);

    public Task Consume(ConsumeContext<ModelPromoted> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);

    public Task Consume(ConsumeContext<ModelRolledBack> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);
}
