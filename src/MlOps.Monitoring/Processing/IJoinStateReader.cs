using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>Looks up committed join state by prediction id (one query per call), for <see cref="PartitionProcessor"/>.</summary>
public interface IJoinStateReader
{
    (IReadOnlyList<PendingPredictionRow> Pending, IReadOnlyList<WaitingOutcomeRow> Waiting) Find(int partition, IReadOnlyCollection<string> ids);
}

/// <summary>The join state of a consumer group in the monitor's database; called on the consumer thread (it waits).</summary>
public sealed class StoredJoinState(Database database, JoinStateStore store, string consumerGroup) : IJoinStateReader
{
    public (IReadOnlyList<PendingPredictionRow> Pending, IReadOnlyList<WaitingOutcomeRow> Waiting) Find(int partition, IReadOnlyCollection<string> ids) =>
        Task.Run(async () =>
        {
            await using var c = await database.OpenAsync();
            return (await store.FindPendingAsync(c, consumerGroup, partition, ids), await store.FindWaitingAsync(c, consumerGroup, partition, ids));
        }).GetAwaiter().GetResult();
}
