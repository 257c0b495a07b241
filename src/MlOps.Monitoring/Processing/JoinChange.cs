using System.Text.Json.Serialization;

namespace MlOps.Monitoring.Processing;

/// <summary>One entry of the join-state log: a pending prediction or waiting outcome added, or an id removed.</summary>
public sealed record JoinChange(
    [property: JsonPropertyName("k")] char Kind,
    [property: JsonPropertyName("p")] PendingEntry? Prediction,
    [property: JsonPropertyName("o")] WaitingOutcome? Outcome,
    [property: JsonPropertyName("id")] string? RemovedId)
{
    public const char AddPrediction = 'P';
    public const char AddOutcome = 'O';
    public const char RemovePrediction = 'p';
    public const char RemoveOutcome = 'o';
}

/// <summary>A pending prediction in the compact form stored in the join log.</summary>
public sealed record PendingEntry(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("m")] string Model,
    [property: JsonPropertyName("v")] string Version,
    [property: JsonPropertyName("ws")] long WindowStart,
    [property: JsonPropertyName("we")] long WindowEnd,
    [property: JsonPropertyName("y")] string Prediction,
    [property: JsonPropertyName("yn")] double? PredictionNumber,
    [property: JsonPropertyName("s")] double? Score,
    [property: JsonPropertyName("t")] long EventTime,
    [property: JsonPropertyName("j")] bool Joined);

/// <summary>An outcome that arrived before its prediction.</summary>
public sealed record WaitingOutcome(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("m")] string Model,
    [property: JsonPropertyName("a")] string Actual,
    [property: JsonPropertyName("an")] double? ActualNumber,
    [property: JsonPropertyName("t")] long EventTime);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<JoinChange>))]
internal sealed partial class JoinJsonContext : JsonSerializerContext;
