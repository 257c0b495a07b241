namespace MlOps.Contracts.Lifecycle;

/// <summary>A promotion request was created and waits for approval. Published on the bus.</summary>
public sealed record PromotionRequested
{
    /// <summary>The request.</summary>
    public required string PromotionId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The version to promote.</summary>
    public required string Version { get; init; }

    /// <summary>The champion it would replace, if any.</summary>
    public string? ChampionVersion { get; init; }

    /// <summary>Who asked.</summary>
    public required string RequestedBy { get; init; }

    /// <summary>When the request expires.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}

/// <summary>
/// A promotion request left <c>pending</c>: <c>approved</c> (then a <see cref="ModelPromoted"/> follows),
/// <c>rejected</c>, <c>cancelled</c> or <c>expired</c>. Published on the bus.
/// </summary>
public sealed record PromotionDecided
{
    /// <summary>The request.</summary>
    public required string PromotionId { get; init; }

    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>The version it was about.</summary>
    public required string Version { get; init; }

    /// <summary><c>approved</c>, <c>rejected</c>, <c>cancelled</c> or <c>expired</c>.</summary>
    public required string State { get; init; }

    /// <summary>Who decided (<c>system</c> for an expiry).</summary>
    public required string DecidedBy { get; init; }

    /// <summary>The decider's comment.</summary>
    public string? Comment { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
