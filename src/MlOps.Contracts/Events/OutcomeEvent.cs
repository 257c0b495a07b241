using System.Text.Json.Serialization;
using MlOps.Contracts.Serialization;

namespace MlOps.Contracts.Events;

/// <summary>
/// The ground truth for an earlier prediction, as produced to <see cref="Topics.Outcomes"/> (key = <see cref="PredictionId"/>),
/// possibly days later. It is joined to its prediction to compute live model performance.
/// </summary>
public sealed record OutcomeEvent
{
    /// <summary>Wire-format version; see <see cref="Contracts.SchemaVersion.Current"/>.</summary>
    public int SchemaVersion { get; init; } = Contracts.SchemaVersion.Current;

    /// <summary>Id of the prediction this outcome belongs to.</summary>
    public required string PredictionId { get; init; }

    /// <summary>Registered model name; selects the schema the label is checked against.</summary>
    public required string Model { get; init; }

    /// <summary>When the outcome was observed.</summary>
    [JsonConverter(typeof(UtcTimestampJsonConverter))]
    public required DateTimeOffset Timestamp { get; init; }

    /// <summary>True class label (classification) or number (regression).</summary>
    public required Scalar Actual { get; init; }
}
