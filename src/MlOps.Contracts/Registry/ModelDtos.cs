using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Schemas;

namespace MlOps.Contracts.Registry;

// JSON shapes of the registry API (camelCase). They are promises to the CLI, the web page and scripts.

/// <summary>POST /api/models.</summary>
public sealed record RegisterModelRequest
{
    /// <summary>Name: letters, digits, '-', '_' and '.', 1–100 characters.</summary>
    public string? Name { get; init; }

    public string? Description { get; init; }

    public string? Owner { get; init; }

    /// <summary>The model schema; its <c>model</c> field may be omitted (it is set to <see cref="Name"/>).</summary>
    public ModelSchemaBody? Schema { get; init; }

    public MonitoringConfig? Monitoring { get; init; }

    public PromotionPolicy? Policy { get; init; }

    /// <summary>When and how the model is retrained (defaults when absent).</summary>
    public Retraining.RetrainingPolicy? Retraining { get; init; }
}

/// <summary>The schema part of a registration: a <see cref="ModelSchema"/> whose fields are checked by the registry, not the parser.</summary>
public sealed record ModelSchemaBody
{
    public string? Model { get; init; }

    public ModelTask? Task { get; init; }

    public string? PositiveClass { get; init; }

    public List<string>? Classes { get; init; }

    public List<FeatureSchema>? Features { get; init; }
}

/// <summary>A model with its aliases.</summary>
public sealed record ModelResponse(
    string Name,
    string Description,
    string Owner,
    string Task,
    ModelSchema Schema,
    MonitoringConfig Monitoring,
    PromotionPolicy Policy,
    Retraining.RetrainingPolicy Retraining,
    IReadOnlyDictionary<string, string> Aliases,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>The metadata part of POST /api/models/{name}/versions (JSON, next to the artifact file).</summary>
public sealed record RegisterVersionMetadata
{
    public DateTimeOffset? TrainingDataFrom { get; init; }

    public DateTimeOffset? TrainingDataTo { get; init; }

    public Dictionary<string, double>? Metrics { get; init; }

    public string? ParentVersion { get; init; }

    public string? RunId { get; init; }

    public Dictionary<string, string>? Tags { get; init; }
}

/// <summary>A stored artifact.</summary>
public sealed record ArtifactInfo(string Sha256, long Size, string FileName);

/// <summary>A model version (immutable).</summary>
public sealed record VersionResponse(
    string Model,
    string Version,
    ArtifactInfo Artifact,
    DateTimeOffset? TrainingDataFrom,
    DateTimeOffset? TrainingDataTo,
    IReadOnlyDictionary<string, double> Metrics,
    bool HasReferenceProfile,
    string? ParentVersion,
    string? RunId,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases,
    string CreatedBy,
    DateTimeOffset CreatedAt);

/// <summary>PUT /api/models/{name}/aliases/{alias}.</summary>
public sealed record SetAliasRequest
{
    public string? Version { get; init; }
}

/// <summary>An alias and where it points.</summary>
public sealed record AliasResponse(string Model, string Alias, string Version, string UpdatedBy, DateTimeOffset UpdatedAt);

/// <summary>POST /api/models/{name}/rollback.</summary>
public sealed record RollbackRequest
{
    /// <summary>The version to make champion; default: the champion before the current one.</summary>
    public string? Version { get; init; }

    /// <summary>Why (required: it goes into the audit log).</summary>
    public string? Reason { get; init; }
}

/// <summary>The caller, as the registry sees them.</summary>
public sealed record MeResponse(string Name, string Role);
