namespace MlOps.Contracts.Registry;

/// <summary>
/// An error body of the MlOps APIs (RFC 9457 problem+json): <see cref="Errors"/> (field → messages) for validation
/// failures, <see cref="Field"/> for a body that is not valid JSON.
/// </summary>
public sealed record ApiProblem
{
    public string? Type { get; init; }

    public string? Title { get; init; }

    public int? Status { get; init; }

    public string? Detail { get; init; }

    public Dictionary<string, string[]>? Errors { get; init; }

    public string? Field { get; init; }
}
