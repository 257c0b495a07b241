namespace MlOps.Storage.Monitoring;

/// <summary>What one partition writes at a checkpoint (see <see cref="MonitorStateStore.SaveCheckpointAsync"/>).</summary>
public sealed record MonitorCheckpoint(
    string ConsumerGroup,
    int Partition,
    long At,
    long SealedUntil,
    IReadOnlyList<PartialRow> Partials,
    JoinLogRow? JoinLog,
    IReadOnlyList<OffsetRow> Offsets);
