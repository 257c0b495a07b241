using System.ComponentModel.DataAnnotations;
using MlOps.Contracts;

namespace MlOps.Client.Logging;

/// <summary>
/// Settings of <see cref="MlOpsLogger"/>, bound from the configuration section <see cref="Section"/> (<c>MlOps:Logger</c>; as
/// environment variables <c>MLOPS__LOGGER__BOOTSTRAPSERVERS</c> etc.) by <see cref="MlOpsLoggerServiceCollectionExtensions"/>.
/// </summary>
public sealed class MlOpsLoggerOptions
{
    /// <summary>The configuration section: <c>MlOps:Logger</c>.</summary>
    public const string Section = "MlOps:Logger";

    /// <summary>Kafka bootstrap servers (<c>host:port,host:port</c>). Required.</summary>
    [Required(ErrorMessage = "is required (Kafka bootstrap servers, host:port)")]
    public string? BootstrapServers { get; set; }

    /// <summary>Topic of prediction events (default <c>mlops.predictions</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string PredictionsTopic { get; set; } = Topics.Predictions;

    /// <summary>Topic of outcome events (default <c>mlops.outcomes</c>); must be co-partitioned with <see cref="PredictionsTopic"/>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string OutcomesTopic { get; set; } = Topics.Outcomes;

    /// <summary>
    /// The registry's URL, where model schemas are read (once per model, then cached). Without it events are not checked
    /// against a schema before they are sent (the monitor still checks them on ingest).
    /// </summary>
    public string? RegistryUrl { get; set; }

    /// <summary>API key for the registry (a viewer key suffices).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Models whose schemas <see cref="MlOpsLogger.StartAsync"/> loads, so their calls are validated (and rejected) at once
    /// from the first event on.
    /// </summary>
    public IList<string> Models { get; } = [];

    /// <summary>
    /// Most events held at once: accepted but not yet acknowledged by Kafka (default 100 000). When the buffer holds this
    /// many, new events are dropped (the oldest are kept, since they are already on their way) and counted.
    /// </summary>
    [Range(1, 10_000_000)]
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>How long the producer waits to fill a batch (librdkafka <c>linger.ms</c>; default 5 ms).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Largest batch per partition in bytes (librdkafka <c>batch.size</c>; default 1 MiB).</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int BatchSizeBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How long Kafka may take to acknowledge an event before it counts as failed (librdkafka <c>message.timeout.ms</c>).
    /// Default <see cref="TimeSpan.Zero"/>: never give up — an event in the buffer is retried until the broker is back, so a
    /// broker outage loses nothing that fits in the buffer. A failure is counted and raised, never silent.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan DeliveryTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>How long <c>Dispose</c>/<c>DisposeAsync</c> waits for buffered events to be acknowledged (default 10 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan FlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Timeout of one schema request to the registry (default 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:05:00")]
    public TimeSpan RegistryTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// After the registry could not be reached for a model, or said the model is unknown, how long before it is asked again
    /// (default 30 s). In the meantime that model's events are sent without validation, or rejected as unknown.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RegistryRetryInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Producer client id (default <c>mlops-client</c>).</summary>
    public string ClientId { get; set; } = "mlops-client";

    /// <summary>
    /// Extra librdkafka producer settings (e.g. <c>security.protocol</c>, <c>sasl.mechanisms</c>), applied last. Idempotence,
    /// <c>acks=all</c> and the murmur2 partitioner are kept whatever this says.
    /// </summary>
    public IDictionary<string, string> ProducerConfig { get; } = new Dictionary<string, string>(StringComparer.Ordinal);
}
