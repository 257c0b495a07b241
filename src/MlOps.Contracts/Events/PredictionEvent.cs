using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Events;

/// <summary>
/// One prediction a production model made, as produced to <see cref="Topics.Predictions"/> (key = <see cref="PredictionId"/>).
/// It carries the inputs and the output so drift and, once the outcome arrives, performance can be computed
/// without access to the serving app.
/// </summary>
public sealed record PredictionEvent
{
    /// <summary>Wire-format version; see <see cref="Contracts.SchemaVersion.Current"/>.</summary>
    public int SchemaVersion { get; init; } = Contracts.SchemaVersion.Current;

    /// <summary>Producer-chosen unique id; joins the outcome and de-duplicates producer retries.</summary>
    public required string PredictionId { get; init; }

    /// <summary>Registered model name; selects the schema the features are checked against.</summary>
    public required string Model { get; init; }

    /// <summary>Model version that served the prediction; metrics are kept per version.</summary>
    public required string ModelVersion { get; init; }

    /// <summary>Event time (when the prediction was made); windows are by event time, not arrival.</summary>
    [JsonConverter(typeof(UtcTimestampJsonConverter))]
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>Model inputs by feature name; a <see cref="Scalar.Missing"/> value is an explicit null.</summary>
    public required IReadOnlyDictionary<string, Scalar> Features { get; init; }

    /// <summary>
    /// The <c>features</c> object as the record carried it (UTF-8 JSON), set by the validator: the monitor stores it as
    /// it came instead of writing <see cref="Features"/> again. Empty for an event built in code.
    /// </summary>
    [JsonIgnore]
    public ReadOnlyMemory<byte> FeaturesJson { get; init; }

    /// <summary>Class label (classification) or number (regression).</summary>
    public required Scalar Prediction { get; init; }

    /// <summary>Positive-class probability in [0, 1] for binary models; needed for AUC, log loss and calibration.</summary>
    public double? Score { get; init; }

    /// <summary>Serving latency in milliseconds, if the producer measured it.</summary>
    public double? LatencyMs { get; init; }

    /// <summary>Free-form producer labels (region, tenant…); not used as metric labels, so they may be high-cardinality.</summary>
    public IReadOnlyDictionary<string, string>? Tags { get; init; }
}
