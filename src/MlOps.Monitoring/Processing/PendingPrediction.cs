using MlOps.Monitoring.Windows;

namespace MlOps.Monitoring.Processing;

/// <summary>A prediction waiting for its outcome (join state), or a joined one kept as a tombstone so a retried duplicate is not counted again.</summary>
public sealed record PendingPrediction(
    string PredictionId,
    WindowKey Window,
    string Prediction,
    double? PredictionNumber,
    double? Score,
    long EventTime,
    bool Joined)
{
    /// <summary>
    /// The prediction's features as JSON (the record's own <c>features</c> object) until the checkpoint that stores them;
    /// null for entries read back from the store.
    /// </summary>
    public ReadOnlyMemory<byte>? Features { get; init; }
}
