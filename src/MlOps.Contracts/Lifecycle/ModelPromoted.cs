namespace MlOps.Contracts.Lifecycle;

/// <summary>
/// A version became a model's champion through an approved promotion. Published on the bus and on
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

    /// <summary>The promotion request that was approved.</summary>
    public required string PromotionId { get; init; }

    /// <summary>Who approved (or <c>auto-approve</c>).</summary>
    public required IReadOnlyList<string> ApprovedBy { get; init; }

    /// <summary>When the alias moved.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
