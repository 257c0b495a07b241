namespace MlOps.Client.Logging;

/// <summary>
/// An accepted event that was not delivered after all: rejected by the background validation (its model's schema was not
/// cached when it was logged), or not acknowledged by Kafka after all retries (or still unacknowledged when the logger was
/// disposed). Raised by <see cref="MlOpsLogger.EventNotSent"/>; every such event is also counted.
/// </summary>
public sealed class EventNotSentEventArgs : EventArgs
{
    /// <summary>Creates the notification.</summary>
    public EventNotSentEventArgs(EventKind kind, string model, string predictionId, bool rejected, string reason, string detail)
    {
        Kind = kind;
        Model = model;
        PredictionId = predictionId;
        Rejected = rejected;
        Reason = reason;
        Detail = detail;
    }

    /// <summary>Prediction or outcome.</summary>
    public EventKind Kind { get; }

    /// <summary>The event's model.</summary>
    public string Model { get; }

    /// <summary>The event's prediction id.</summary>
    public string PredictionId { get; }

    /// <summary>True for a schema rejection; false for a delivery failure.</summary>
    public bool Rejected { get; }

    /// <summary>
    /// A <see cref="Contracts.Validation.RejectReason"/> code for a rejection; for a delivery failure <c>delivery_failed</c>
    /// or <c>not_flushed</c> (still buffered when the logger was disposed).
    /// </summary>
    public string Reason { get; }

    /// <summary>The validation errors, or Kafka's error.</summary>
    public string Detail { get; }
}
