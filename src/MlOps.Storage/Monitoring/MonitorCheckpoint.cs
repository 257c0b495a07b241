namespace MlOps.Storage.Monitoring;

/// <summary>What one partition writes at a checkpoint (see <see cref="MonitorStateStore.SaveCheckpointAsync"/>).</summary>
public sealed record MonitorCheckpoint(
    string ConsumerGroup,
    int Partition,
    long At,
    long Watermark,
    IReadOnlyList<PartialRow> Partials,
    JoinLogRow? JoinLog,
    IReadOnlyList<OffsetRow> Offsets)
{
    /// <summary>Late labels joined since the last checkpoint, per window (appended, never overwritten).</summary>
    public IReadOnlyList<LabelPartialRow> LabelPartials { get; init; } = [];

    /// <summary>The partition's per-model watermarks that moved since the last checkpoint.</summary>
    public IReadOnlyList<ModelWatermarkRow> ModelWatermarks { get; init; } = [];
}
