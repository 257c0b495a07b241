namespace MlOps.Contracts;

/// <summary>
/// Default Kafka topic names and dead-letter header names. Topic names are configurable per deployment;
/// these constants are the defaults so every service and producer agrees without configuration.
/// </summary>
public static class Topics
{
    /// <summary>Prediction events, keyed by <c>predictionId</c>.</summary>
    public const string Predictions = "mlops.predictions";

    /// <summary>Outcome events, keyed by <c>predictionId</c>; must have as many partitions as <see cref="Predictions"/> (co-partitioned join).</summary>
    public const string Outcomes = "mlops.outcomes";

    /// <summary>Rejected records: the original bytes plus the <c>mlops-*</c> headers below.</summary>
    public const string DeadLetter = "mlops.dlq";

    /// <summary>Model promotions and rollbacks, keyed by model name, for serving apps.</summary>
    public const string ModelLifecycle = "mlops.model-lifecycle";

    /// <summary>DLQ header carrying the reject reason code (one of <see cref="Validation.RejectReason"/>).</summary>
    public const string ErrorHeader = "mlops-error";

    /// <summary>DLQ header carrying the topic the rejected record was read from.</summary>
    public const string SourceTopicHeader = "mlops-source-topic";

    /// <summary>DLQ header carrying the partition the rejected record was read from.</summary>
    public const string SourcePartitionHeader = "mlops-source-partition";

    /// <summary>DLQ header carrying the offset of the rejected record.</summary>
    public const string SourceOffsetHeader = "mlops-source-offset";
}
