namespace MlOps.Contracts.Registry;

/// <summary>POST /api/promotions: ask for a version to become champion.</summary>
public sealed record PromotionRequestBody
{
    public string? Model { get; init; }

    public string? Version { get; init; }

    public PromotionEvidence? Evidence { get; init; }

    public string? Notes { get; init; }
}

/// <summary>What the approver weighs: challenger vs champion on the same data, recent traffic, drift.</summary>
public sealed record PromotionEvidence
{
    /// <summary>Which data both were evaluated on (e.g. "holdout 2026-11-01..20, 5 000 rows").</summary>
    public string? EvaluationData { get; init; }

    public MetricSet? Challenger { get; init; }

    public MetricSet? Champion { get; init; }

    public TrafficEvidence? RecentTraffic { get; init; }

    public DriftEvidence? Drift { get; init; }
}

/// <summary>One model's metrics on the evaluation data.</summary>
public sealed record MetricSet
{
    public string? Version { get; init; }

    // set, not init: source generation would pass null for a missing init-only property (dotnet/runtime#84484).
    public Dictionary<string, double> Metrics { get; set; } = [];
}

/// <summary>Both models on recent labelled traffic.</summary>
public sealed record TrafficEvidence
{
    public long Rows { get; init; }

    public MetricSet? Challenger { get; init; }

    public MetricSet? Champion { get; init; }
}

/// <summary>The drift that prompted retraining.</summary>
public sealed record DriftEvidence
{
    public double? DriftedShare { get; init; }

    public List<string>? DriftedFeatures { get; init; }
}

/// <summary>POST /api/promotions/{id}/approve|reject|cancel.</summary>
public sealed record DecisionRequest
{
    public string? Comment { get; init; }
}

/// <summary>A promotion request with its approvals.</summary>
public sealed record PromotionResponse(
    string Id,
    string Model,
    string Version,
    string? ChampionVersion,
    string State,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset ExpiresAt,
    int ApprovalsRequired,
    IReadOnlyList<ApprovalResponse> Approvals,
    PromotionEvidence Evidence,
    string Notes,
    string? DecidedBy,
    DateTimeOffset? DecidedAt,
    string? DecisionComment);

/// <summary>One approval.</summary>
public sealed record ApprovalResponse(string Approver, string Comment, DateTimeOffset At);

/// <summary>An audit log entry.</summary>
public sealed record AuditResponse(long Id, DateTimeOffset At, string Actor, string Action, string? Model, string Entity, string EntityId, System.Text.Json.Nodes.JsonNode? Before, System.Text.Json.Nodes.JsonNode? After);
