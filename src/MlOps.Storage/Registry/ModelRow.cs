namespace MlOps.Storage.Registry;

/// <summary>A row of <c>models</c>. Times are Unix milliseconds.</summary>
public sealed class ModelRow
{
    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string Owner { get; init; } = "";

    public string Task { get; init; } = "";

    public string SchemaJson { get; init; } = "";

    public string MonitoringJson { get; init; } = "{}";

    public string PolicyJson { get; init; } = "{}";

    public string RetrainingJson { get; init; } = "{}";

    public string CreatedBy { get; init; } = "";

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }
}
