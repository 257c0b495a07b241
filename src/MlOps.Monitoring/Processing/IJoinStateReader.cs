using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Processing;

/// <summary>Looks up committed join state by prediction id (one query per call), for <see cref="PartitionProcessor"/>.</summary>
public interface IJoinStateReader
{
    (IReadOnlyList<PendingPredictionRow> Pending, IReadOnlyList<WaitingOutcomeRow> Waiting) Find(int partition, IReadOnlyCollection<string> ids);
}

/// <summary>
/// The join state of a consumer group in the monitor's database; called on a processing thread, which waits for
/// the answer: synchronously, one round trip, no thread-pool thread needed.
/// </summary>
public sealed class StoredJoinState(Database database, JoinStateStore store, string consumerGroup) : IJoinStateReader
{
    public (IReadOnlyList<PendingPredictionRow> Pending, IReadOnlyList<WaitingOutcomeRow> Waiting) Find(int partition, IReadOnlyCollection<string> ids)
    {
        using var c = database.Open();
        return store.Find(c, consumerGroup, partition, ids);
    }
}
