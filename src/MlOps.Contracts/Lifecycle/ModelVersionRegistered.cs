namespace MlOps.Contracts.Lifecycle;

/// <summary>A version of a model was registered (with or without a reference profile). Published on the bus.</summary>
public sealed record ModelVersionRegistered
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The new version.</summary>
    public required string Version { get; init; }

    /// <summary>Whether it has a reference profile to compare windows against.</summary>
    public bool HasReferenceProfile { get; init; }

    /// <summary>Who registered it.</summary>
    public required string By { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
