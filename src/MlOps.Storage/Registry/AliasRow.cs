namespace MlOps.Storage.Registry;

/// <summary>A row of <c>aliases</c>: which version an alias points at.</summary>
public sealed class AliasRow
{
    public string ModelName { get; init; } = "";

    public string Alias { get; init; } = "";

    public int Version { get; init; }

    public string UpdatedBy { get; init; } = "";

    public long UpdatedAt { get; init; }
}
