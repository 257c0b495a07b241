namespace MlOps.Monitoring.Evaluation;

/// <summary>How many partitions the monitored topics have (learned from Kafka metadata by the consumer worker).</summary>
public sealed class MonitorTopology
{
    private int _partitions;

    /// <summary>0 until the worker has read the metadata.</summary>
    public int Partitions => Volatile.Read(ref _partitions);

    public void SetPartitions(int partitions) => Volatile.Write(ref _partitions, partitions);
}
