namespace MlOps.Contracts.Lifecycle;

/// <summary>An admin moved a model's champion back to an earlier version.</summary>
public sealed record ModelRolledBack
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The champion after the rollback.</summary>
    public required string Version { get; init; }

    /// <summary>The champion that was rolled back.</summary>
    public string? RolledBackVersion { get; init; }

    /// <summary>Who rolled back.</summary>
    public required string By { get; init; }

    /// <summary>Why.</summary>
    public required string Reason { get; init; }

    /// <summary>When the alias moved.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
