namespace MlOps.Storage.Monitoring;

/// <summary>A row of <c>monitor_offsets</c>: the next offset to read, as of the last checkpoint.</summary>
public sealed class OffsetRow
{
    public string ConsumerGroup { get; init; } = "";

    public string Topic { get; init; } = "";

    public int Partition { get; init; }

    public long NextOffset { get; init; }

    public long UpdatedAt { get; init; }
}

/// <summary>A row of <c>window_partials</c>: one partition's share of one window (serialized profile and counters).</summary>
public sealed class PartialRow
{
    public string ConsumerGroup { get; init; } = "";

    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public long WindowStart { get; init; }

    public long WindowEnd { get; init; }

    public int Partition { get; init; }

    public string Payload { get; init; } = "";

    public long UpdatedAt { get; init; }
}

/// <summary>A row of <c>join_log</c>: the join-state changes of one checkpoint, or a compacted snapshot.</summary>
public sealed class JoinLogRow
{
    public string ConsumerGroup { get; init; } = "";

    public int Partition { get; init; }

    public long Sequence { get; init; }

    public string Payload { get; init; } = "";
}

/// <summary>A row of <c>window_results</c>: a closed window's evaluation.</summary>
public sealed class WindowResultRow
{
    public string ConsumerGroup { get; init; } = "";

    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public long WindowStart { get; init; }

    public long WindowEnd { get; init; }

    public long ClosedAt { get; init; }

    public long Predictions { get; init; }

    public long Labelled { get; init; }

    public double DriftedShare { get; init; }

    public int DatasetDrift { get; init; }

    public string ResultJson { get; init; } = "";

    /// <summary>The merged metric accumulators (JSON), so late labels can be added after closing.</summary>
    public string? PerformanceState { get; init; }

    /// <summary>
    /// The merged feature profiles (compressed; see the monitor's window serializer), for the window's drift report;
    /// null for windows closed before it was stored. Read only by <see cref="MonitorStateStore.FindResultsAtAsync"/>.
    /// </summary>
    public byte[]? Profile { get; init; }
}

/// <summary>A row of <c>window_label_partials</c>: outcomes joined after their window closed on a partition.</summary>
public sealed class LabelPartialRow
{
    public string ConsumerGroup { get; init; } = "";

    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public long WindowStart { get; init; }

    public long WindowEnd { get; init; }

    public int Partition { get; init; }

    public long Sequence { get; init; }

    public string Payload { get; init; } = "";
}

/// <summary>A row of <c>model_watermarks</c>: one partition's event-time watermark for one model.</summary>
public sealed class ModelWatermarkRow
{
    public string ConsumerGroup { get; init; } = "";

    public string Model { get; init; } = "";

    public int Partition { get; init; }

    public long Watermark { get; init; }

    public long UpdatedAt { get; init; }

    /// <summary>When this partition first checkpointed the model (Unix ms, wall clock).</summary>
    public long FirstSeenAt { get; init; }
}

/// <summary>A row of <c>partition_watermarks</c>: a partition's watermark over all its models.</summary>
public sealed class PartitionWatermarkRow
{
    public int Partition { get; init; }

    public long Watermark { get; init; }
}

/// <summary>A row of <c>monitor_outbox</c>: one bus event raised by a closed window, and whether it went out.</summary>
public sealed class OutboxRow
{
    public string MessageId { get; init; } = "";

    public string ConsumerGroup { get; init; } = "";

    /// <summary>The contract's name (e.g. <c>DriftDetected</c>).</summary>
    public string MessageType { get; init; } = "";

    /// <summary>The event as JSON.</summary>
    public string Payload { get; init; } = "";

    public long CreatedAt { get; init; }

    public long? PublishedAt { get; init; }

    public int Attempts { get; init; }

    public string? LastError { get; init; }
}
