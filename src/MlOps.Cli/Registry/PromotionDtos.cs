namespace MlOps.Cli.Registry;

// The registry's promotion JSON as the CLI reads it (see MlOps.Registry Apis/PromotionDtos.cs).

internal sealed record PromotionDto
{
    public string Id { get; init; } = "";

    public string Model { get; init; } = "";

    public string Version { get; init; } = "";

    public string? ChampionVersion { get; init; }

    public string State { get; init; } = "";

    public string RequestedBy { get; init; } = "";

    public DateTimeOffset RequestedAt { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    public int ApprovalsRequired { get; init; }

    public List<ApprovalDto> Approvals { get; init; } = [];

    public EvidenceDto Evidence { get; init; } = new();

    public string Notes { get; init; } = "";

    public string? DecidedBy { get; init; }

    public DateTimeOffset? DecidedAt { get; init; }

    public string? DecisionComment { get; init; }
}

internal sealed record ApprovalDto
{
    public string Approver { get; init; } = "";

    public string Comment { get; init; } = "";

    public DateTimeOffset At { get; init; }
}

internal sealed record EvidenceDto
{
    public string? EvaluationData { get; init; }

    public MetricSetDto? Challenger { get; init; }

    public MetricSetDto? Champion { get; init; }

    public TrafficDto? RecentTraffic { get; init; }

    public DriftDto? Drift { get; init; }
}

internal sealed record MetricSetDto
{
    public string? Version { get; init; }

    public Dictionary<string, double> Metrics { get; init; } = [];
}

internal sealed record TrafficDto
{
    public long Rows { get; init; }

    public MetricSetDto? Challenger { get; init; }

    public MetricSetDto? Champion { get; init; }
}

internal sealed record DriftDto
{
    public double? DriftedShare { get; init; }

    public List<string>? DriftedFeatures { get; init; }
}
