namespace MlOps.Storage.Registry;

/// <summary>A row of <c>alias_history</c>: one move of an alias (version null when it was removed).</summary>
public sealed class AliasHistoryRow
{
    public long Id { get; init; }

    public string ModelName { get; init; } = "";

    public string Alias { get; init; } = "";

    public int? Version { get; init; }

    public int? PreviousVersion { get; init; }

    public string Reason { get; init; } = "";

    public string ChangedBy { get; init; } = "";

    public long ChangedAt { get; init; }
}
