using MlOps.Contracts.Validation;

namespace MlOps.Client.Logging;

/// <summary>The answer to one <c>LogPrediction</c>/<c>LogOutcome</c> call; returned at once, never after waiting on the broker.</summary>
/// <param name="Status">Accepted, rejected or dropped.</param>
/// <param name="PredictionId">The event's prediction id (generated when the caller gave none): log the outcome with it.</param>
/// <param name="Reason">For <see cref="LogStatus.Rejected"/>: one of <see cref="RejectReason"/>; for <see cref="LogStatus.Dropped"/>: <see cref="BufferFull"/>.</param>
/// <param name="Detail">For a rejection, every problem found as <c>code at field: message</c>, separated by <c>; </c>.</param>
public readonly record struct LogResult(LogStatus Status, string PredictionId, string? Reason = null, string? Detail = null)
{
    /// <summary>The <see cref="Reason"/> of a <see cref="LogStatus.Dropped"/> result.</summary>
    public const string BufferFull = "buffer_full";

    /// <summary>True when the event was taken into the buffer.</summary>
    public bool IsAccepted => Status == LogStatus.Accepted;

    /// <summary>An accepted event.</summary>
    public static LogResult Accepted(string predictionId) => new(LogStatus.Accepted, predictionId);

    /// <summary>A rejected event.</summary>
    public static LogResult Rejected(string predictionId, string reason, string detail) => new(LogStatus.Rejected, predictionId, reason, detail);

    /// <summary>An event dropped because the buffer was full.</summary>
    public static LogResult Dropped(string predictionId) =>
        new(LogStatus.Dropped, predictionId, BufferFull, "the logger's buffer is full (the broker is slow or unreachable); the event was dropped and counted");

    /// <inheritdoc />
    public override string ToString() => Reason is null ? $"{Status} {PredictionId}" : $"{Status} {PredictionId}: {Reason} ({Detail})";
}
