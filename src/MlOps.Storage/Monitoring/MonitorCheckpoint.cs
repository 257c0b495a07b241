namespace MlOps.Storage.Monitoring;

/// <summary>What one partition writes at a checkpoint (see <see cref="MonitorStateStore.SaveCheckpointAsync"/>).</summary>
public sealed record MonitorCheckpoint(
    string ConsumerGroup,
    int Partition,
    long At,
    long Watermark,
    IReadOnlyList<PartialRow> Partials,
    IReadOnlyList<OffsetRow> Offsets)
{
    /// <summary>The partition's checkpoint number (keys the late labels it writes).</summary>
    public long Sequence { get; init; }

    /// <summary>What the checkpoint changes in the join state (pending predictions, waiting outcomes, expiry).</summary>
    public JoinStateChanges Join { get; init; } = new();

    /// <summary>Late labels joined since the last checkpoint, per window (appended, never overwritten).</summary>
    public IReadOnlyList<LabelPartialRow> LabelPartials { get; init; } = [];

    /// <summary>The partition's per-model watermarks that moved since the last checkpoint.</summary>
    public IReadOnlyList<ModelWatermarkRow> ModelWatermarks { get; init; } = [];
}
