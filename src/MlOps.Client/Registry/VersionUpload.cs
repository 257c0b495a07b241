using MlOps.Contracts.Registry;

namespace MlOps.Client.Registry;

/// <summary>
/// What <see cref="RegistryClient.RegisterVersionAsync"/> uploads: the artifact, its metadata, and at most one of a
/// reference CSV (the registry builds the version's reference profile from it) or a ready reference profile (JSON).
/// The streams are read, not disposed.
/// </summary>
public sealed class VersionUpload
{
    /// <summary>The model file (any format).</summary>
    public required Stream Artifact { get; init; }

    /// <summary>The artifact's file name, stored with it.</summary>
    public required string ArtifactFileName { get; init; }

    /// <summary>Metrics, training data window, parent version, run id and tags.</summary>
    public RegisterVersionMetadata Metadata { get; init; } = new();

    /// <summary>Training data as CSV with a header row.</summary>
    public Stream? ReferenceCsv { get; init; }

    /// <summary>The CSV's file name.</summary>
    public string ReferenceCsvFileName { get; init; } = "reference.csv";

    /// <summary>A reference profile (the JSON of <c>ProfileSerializer</c>), instead of a CSV.</summary>
    public ReadOnlyMemory<byte>? ReferenceProfile { get; init; }
}
