using MassTransit;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Monitoring.Catalog;

/// <summary>Switches the monitor to the new champion's reference profile as soon as a promotion or rollback is published.</summary>
public sealed class ChampionChangedConsumer(IModelCatalog catalog) : IConsumer<ModelPromoted>, IConsumer<ModelRolledBack>
{
    public Task Consume(ConsumeContext<ModelPromoted> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);

    public Task Consume(ConsumeContext<ModelRolledBack> context) => catalog.RefreshAsync(context.Message.Model, context.CancellationToken);
}
