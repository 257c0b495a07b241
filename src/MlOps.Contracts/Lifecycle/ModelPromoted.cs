namespace MlOps.Contracts.Lifecycle;

/// <summary>
/// A version became a model's champion: through an approved promotion, or as the model's first version
/// (<c>initialChampion: auto</c>, then <see cref="PromotionId"/> is null and <see cref="Initial"/> true). Published on the bus and on
/// <see cref="Topics.ModelLifecycle"/> (key = model name) so serving apps and the monitor switch to it.
/// </summary>
public sealed record ModelPromoted
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The new champion version.</summary>
    public required string Version { get; init; }

    /// <summary>The champion before, if any.</summary>
    public string? PreviousVersion { get; init; }

    /// <summary>The promotion request that was approved (null for a model's first champion).</summary>
    public string? PromotionId { get; init; }

    /// <summary>Who approved (or <c>auto-approve</c>); empty for a model's first champion.</summary>
    public IReadOnlyList<string> ApprovedBy { get; init; } = [];

    /// <summary>True when the version became champion as the model's first version, without a promotion.</summary>
    public bool Initial { get; init; }

    /// <summary>When the alias moved.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
