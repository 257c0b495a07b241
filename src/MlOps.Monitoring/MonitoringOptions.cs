using System.ComponentModel.DataAnnotations;
using MlOps.Contracts;

namespace MlOps.Monitoring;

/// <summary>Configuration section <c>MlOps:Monitoring</c> (environment <c>MLOPS__MONITORING__…</c>).</summary>
public sealed class MonitoringOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Monitoring";

    /// <summary>Kafka bootstrap servers (required; <c>mlops up</c> sets them to its in-process cluster's).</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Kafka bootstrap servers are required, e.g. kafka:9092.")]
    public string BootstrapServers { get; set; } = "";

    /// <summary>
    /// The registry API the model catalog reads (models, schemas, champions, reference profiles). Empty: this process
    /// serves the registry itself (<c>mlops up</c>), and the monitor reads it over its own loopback address.
    /// </summary>
    public string? RegistryUrl { get; set; }

    /// <summary>API key (viewer role is enough) for <see cref="RegistryUrl"/>; never logged.</summary>
    public string? RegistryApiKey { get; set; }

    /// <summary>The consumer group of all monitor instances (they share the partitions).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConsumerGroup { get; set; } = "mlops-monitor";

    [Required(AllowEmptyStrings = false)]
    public string PredictionsTopic { get; set; } = Topics.Predictions;

    [Required(AllowEmptyStrings = false)]
    public string OutcomesTopic { get; set; } = Topics.Outcomes;

    [Required(AllowEmptyStrings = false)]
    public string DeadLetterTopic { get; set; } = Topics.DeadLetter;

    /// <summary>How long the group waits for a silent instance before moving its partitions (Kafka session timeout).</summary>
    [Range(typeof(TimeSpan), "00:00:06", "00:30:00")]
    public TimeSpan SessionTimeout { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Checkpoint a partition at least this often (state + offsets in one transaction).</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>…or after this many records on it.</summary>
    [Range(1, int.MaxValue)]
    public int CheckpointRecords { get; set; } = 20_000;

    /// <summary>How long a prediction waits for its outcome (join state TTL, by event time).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan PendingTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>A partition with no records for this long lets its watermark follow the clock, so windows still close.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the whole model catalog is re-read from the registry. Promotions and rollbacks reach it at once
    /// through the bus; this catches what the bus did not carry (a monitor that was down, a model registered meanwhile).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CatalogRefreshInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often windows that the watermark passed are closed and evaluated.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan CloseInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Join-state entries (pending predictions, waiting outcomes) a partition keeps in memory after a checkpoint; the
    /// rest is in the store and looked up when an id is not in memory. Bounds memory whatever the traffic and TTL.
    /// </summary>
    [Range(1_000, 10_000_000)]
    public int JoinCacheEntries { get; set; } = 100_000;

    /// <summary>Feature missing share above which a window's data quality is degraded.</summary>
    [Range(0.0, 1.0)]
    public double MissingShareLimit { get; set; } = 0.2;

    /// <summary>Numeric out-of-reference-range share above which a window's data quality is degraded.</summary>
    [Range(0.0, 1.0)]
    public double OutOfRangeShareLimit { get; set; } = 0.2;

    /// <summary>Drop of the primary metric (vs the champion's training metric) that raises PerformanceDegraded.</summary>
    [Range(0.0, 1.0)]
    public double PerformanceTolerance { get; set; } = 0.05;

    /// <summary>
    /// Write a last checkpoint when the monitor stops (default). Set false only to rehearse a crash: the next start
    /// then resumes from the previous checkpoint, as after a kill.
    /// </summary>
    public bool CheckpointOnStop { get; set; } = true;

    /// <summary>
    /// How long the monitor waits before it starts the consumer again after a failure (storage or Kafka unavailable,
    /// a checkpoint whose outcome is unknown); the wait doubles with each failure in a row, up to <see cref="RestartMaxDelay"/>.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:10:00")]
    public TimeSpan RestartDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between restarts; a run that lasted this long starts the next wait at <see cref="RestartDelay"/> again.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan RestartMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Threads that apply records, each to its share of the assigned partitions (partition mod threads), beside the
    /// consumer thread; default one per core (at most 8). A partition's records are always applied in order, by one thread.
    /// </summary>
    [Range(1, 64)]
    public int ProcessingThreads { get; set; } = Math.Clamp(Environment.ProcessorCount, 1, 8);

    /// <summary>Labelled predictions a window needs before its performance is judged.</summary>
    [Range(1, int.MaxValue)]
    public int MinLabelledRows { get; set; } = 30;

    /// <summary>Labelled examples (joined predictions with their features, for retraining) kept per model, newest first.</summary>
    [Range(1, int.MaxValue)]
    public int ExamplesPerModel { get; set; } = 100_000;

    /// <summary>How old (by event time) a labelled example may get before it is deleted.</summary>
    public TimeSpan ExamplesRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the outbox relay looks for window events to publish (it is also woken when a window closes).</summary>
    public TimeSpan OutboxInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long published window events stay in the outbox table (for inspection) before they are deleted.</summary>
    public TimeSpan OutboxRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Records one <c>POST /api/ingest/…</c> request may carry.</summary>
    [Range(1, 1_000_000)]
    public int IngestMaxItems { get; set; } = 10_000;

    /// <summary>Largest <c>POST /api/ingest/…</c> body, in bytes.</summary>
    [Range(1_024, 1L << 30)]
    public long IngestMaxBodyBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>How long an ingested record may wait for Kafka's acknowledgement before the answer says <c>failed</c>.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan IngestDeliveryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(RegistryUrl)
            && !(Uri.TryCreate(RegistryUrl, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)))
            yield return new ValidationResult($"'{RegistryUrl}' is not an http:// or https:// URL.", [nameof(RegistryUrl)]);
        if (RestartMaxDelay < RestartDelay)
            yield return new ValidationResult($"{nameof(RestartMaxDelay)} ({RestartMaxDelay}) is shorter than {nameof(RestartDelay)} ({RestartDelay}).", [nameof(RestartMaxDelay)]);
    }
}
