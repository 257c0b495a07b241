using MlOps.Contracts.Registry;
using MlOps.Storage.Registry;

namespace MlOps.Registry.Models;

/// <summary>Stored rows as the API's response records.</summary>
internal static class RegistryResponses
{
    public static ModelResponse From(ModelRow m, IEnumerable<AliasRow> modelAliases) => new(
        m.Name,
        m.Description,
        m.Owner,
        m.Task,
        Documents.ReadSchema(m.SchemaJson),
        Documents.Read(m.MonitoringJson, RegistryJsonContext.Default.MonitoringConfig),
        Documents.Read(m.PolicyJson, RegistryJsonContext.Default.PromotionPolicy),
        Documents.Read(m.RetrainingJson, RegistryJsonContext.Default.RetrainingPolicy),
        modelAliases.ToDictionary(a => a.Alias, a => ModelRegistry.Format(a.Version), StringComparer.Ordinal),
        m.CreatedBy,
        Documents.Time(m.CreatedAt),
        Documents.Time(m.UpdatedAt));

    public static VersionResponse From(VersionRow v, IEnumerable<AliasRow> versionAliases) => new(
        v.ModelName,
        ModelRegistry.Format(v.Version),
        new ArtifactInfo(v.ArtifactSha256, v.ArtifactSize, v.ArtifactFileName),
        v.TrainingFrom is { } from ? Documents.Time(from) : null,
        v.TrainingTo is { } to ? Documents.Time(to) : null,
        Documents.ReadMetrics(v.MetricsJson),
        v.HasReferenceProfile == 1,
        v.ParentVersion is { } p ? ModelRegistry.Format(p) : null,
        v.RunId,
        Documents.ReadTags(v.TagsJson),
        [.. versionAliases.Select(a => a.Alias)],
        v.CreatedBy,
        Documents.Time(v.CreatedAt));
}
