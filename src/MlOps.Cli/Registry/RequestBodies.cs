using System.Text.Json.Nodes;

namespace MlOps.Cli.Registry;

// The JSON bodies the CLI sends. Documents read from the user's files (schema, policy, monitoring, evidence) pass
// through as JSON nodes: the registry validates them and names the field at fault.

/// <summary>POST /api/models.</summary>
internal sealed record RegisterModelBody(string Name, string? Description, string? Owner, JsonObject Schema, JsonObject? Monitoring, JsonObject? Policy);

/// <summary>The <c>metadata</c> part of POST /api/models/{name}/versions.</summary>
internal sealed record VersionMetadataBody(Dictionary<string, double>? Metrics, string? ParentVersion, string? RunId, Dictionary<string, string>? Tags);

/// <summary>POST /api/models/{name}/rollback.</summary>
internal sealed record RollbackBody(string? Version, string Reason);

/// <summary>POST /api/promotions.</summary>
internal sealed record PromotionRequestBody(string Model, string Version, JsonObject? Evidence, string? Notes);

/// <summary>POST /api/promotions/{id}/approve|reject|cancel.</summary>
internal sealed record DecisionBody(string? Comment);

/// <summary>A problem+json error body: <c>errors</c> (field → messages) for validation failures, <c>field</c> for a malformed body.</summary>
internal sealed record ProblemDto
{
    public int? Status { get; init; }

    public string? Title { get; init; }

    public string? Detail { get; init; }

    public Dictionary<string, string[]>? Errors { get; init; }

    public string? Field { get; init; }
}
