namespace MlOps.Storage.Registry;

/// <summary>A row of <c>promotion_requests</c>. <see cref="RowVersion"/> guards every state change (optimistic concurrency).</summary>
public sealed class PromotionRow
{
    public string Id { get; init; } = "";

    public string ModelName { get; init; } = "";

    public int Version { get; init; }

    public int? ChampionVersion { get; init; }

    public string State { get; init; } = "";

    public string RequestedBy { get; init; } = "";

    public long RequestedAt { get; init; }

    public long ExpiresAt { get; init; }

    public int ApprovalsRequired { get; init; }

    public string EvidenceJson { get; init; } = "{}";

    public string Notes { get; init; } = "";

    public string? DecidedBy { get; init; }

    public long? DecidedAt { get; init; }

    public string? DecisionComment { get; init; }

    public int RowVersion { get; init; }
}
