namespace MlOps.Storage.Registry;

/// <summary>A row of <c>model_versions</c>: immutable once written. Times are Unix milliseconds.</summary>
public sealed class VersionRow
{
    public string ModelName { get; init; } = "";

    public int Version { get; init; }

    public string ArtifactSha256 { get; init; } = "";

    public long ArtifactSize { get; init; }

    public string ArtifactFileName { get; init; } = "";

    public long? TrainingFrom { get; init; }

    public long? TrainingTo { get; init; }

    public string MetricsJson { get; init; } = "{}";

    /// <summary>The reference profile JSON; null in listings, which read only <see cref="HasReferenceProfile"/>.</summary>
    public string? ReferenceProfile { get; init; }

    /// <summary>1 when the version has a reference profile (read by every query, including listings).</summary>
    public int HasReferenceProfile { get; init; }

    public int? ParentVersion { get; init; }

    public string? RunId { get; init; }

    public string TagsJson { get; init; } = "{}";

    public string CreatedBy { get; init; } = "";

    public long CreatedAt { get; init; }
}
