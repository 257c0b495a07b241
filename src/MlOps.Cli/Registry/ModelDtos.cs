namespace MlOps.Cli.Registry;

// The registry's model JSON as the CLI reads it (see MlOps.Registry Apis/ModelDtos.cs). Only what the tables show;
// unknown fields are ignored, so the registry may add fields without breaking the CLI.

internal sealed record ModelDto
{
    public string Name { get; init; } = "";

    public string Description { get; init; } = "";

    public string Owner { get; init; } = "";

    public string Task { get; init; } = "";

    public SchemaDto Schema { get; init; } = new();

    public MonitoringDto Monitoring { get; init; } = new();

    public PolicyDto Policy { get; init; } = new();

    public Dictionary<string, string> Aliases { get; init; } = [];

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}

internal sealed record SchemaDto
{
    public string? PositiveClass { get; init; }

    public List<string>? Classes { get; init; }

    public List<FeatureDto> Features { get; init; } = [];
}

internal sealed record FeatureDto
{
    public string Name { get; init; } = "";

    public string Type { get; init; } = "";

    public bool Required { get; init; }
}

internal sealed record MonitoringDto
{
    public double WindowMinutes { get; init; }

    public int CountTrigger { get; init; }

    public double AllowedLatenessMinutes { get; init; }

    public double DatasetDriftShare { get; init; }

    public Dictionary<string, FeatureMonitoringDto> Features { get; init; } = [];
}

internal sealed record FeatureMonitoringDto
{
    public string? Method { get; init; }

    public double? Threshold { get; init; }
}

internal sealed record PolicyDto
{
    public int ApprovalsRequired { get; init; }

    public bool FourEyes { get; init; }

    public double ExpiryHours { get; init; }

    public AutoApproveDto? AutoApprove { get; init; }
}

internal sealed record AutoApproveDto
{
    public bool Enabled { get; init; }

    public string PrimaryMetric { get; init; } = "";

    public double Margin { get; init; }
}

internal sealed record VersionDto
{
    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public ArtifactDto Artifact { get; init; } = new();

    public Dictionary<string, double> Metrics { get; init; } = [];

    public bool HasReferenceProfile { get; init; }

    public string? ParentVersion { get; init; }

    public string? RunId { get; init; }

    public Dictionary<string, string> Tags { get; init; } = [];

    public List<string> Aliases { get; init; } = [];

    public string CreatedBy { get; init; } = "";

    public DateTimeOffset CreatedAt { get; init; }
}

internal sealed record ArtifactDto
{
    public string Sha256 { get; init; } = "";

    public long Size { get; init; }

    public string FileName { get; init; } = "";
}

internal sealed record AliasDto
{
    public string Model { get; init; } = "";

    public string Alias { get; init; } = "";

    public string Version { get; init; } = "";

    public string UpdatedBy { get; init; } = "";

    public DateTimeOffset UpdatedAt { get; init; }
}
