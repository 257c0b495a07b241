namespace MlOps.Storage.Retraining;

/// <summary>A row of <c>retraining_sagas</c>: one saga instance, serialized. Times are Unix milliseconds.</summary>
public sealed record SagaRow
{
    public string CorrelationId { get; init; } = "";

    public string Model { get; init; } = "";

    public int Version { get; init; }

    public string CurrentState { get; init; } = "";

    public long? Deadline { get; init; }

    public string StateJson { get; init; } = "{}";

    public long UpdatedAt { get; init; }
}

/// <summary>A row of <c>retraining_runs</c>. Times are Unix milliseconds.</summary>
public sealed class RunRow
{
    public string Id { get; init; } = "";

    public string Model { get; init; } = "";

    public string State { get; init; } = "";

    public string TriggerKind { get; init; } = "";

    public string Reason { get; init; } = "";

    public string? ChallengerVersion { get; init; }

    public string? PromotionId { get; init; }

    public string HistoryJson { get; init; } = "[]";

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }
}
