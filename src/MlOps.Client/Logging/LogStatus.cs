using System.Text.Json.Serialization;

namespace MlOps.Client.Logging;

/// <summary>What <see cref="MlOpsLogger"/> did with one call (as JSON: <c>"Accepted"</c>, <c>"Rejected"</c>, <c>"Dropped"</c>).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LogStatus>))]
public enum LogStatus
{
    /// <summary>
    /// Taken into the buffer; the background sender produces it to Kafka. When the model's schema was already cached the
    /// event was validated before this answer; otherwise it is validated in the background (see <see cref="MlOpsLogger"/>).
    /// </summary>
    Accepted = 0,

    /// <summary>The event does not match the model's schema (or the contract); <see cref="LogResult.Reason"/> says why. Nothing is sent.</summary>
    Rejected,

    /// <summary>The buffer was full (the broker is slow or down); the event was dropped and counted. Nothing is sent.</summary>
    Dropped,
}
