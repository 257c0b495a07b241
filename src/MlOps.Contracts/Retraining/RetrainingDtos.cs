namespace MlOps.Contracts.Retraining;

/// <summary>POST /api/retraining.</summary>
public sealed record RetrainingRequestBody
{
    /// <summary>The model to retrain.</summary>
    public string? Model { get; init; }

    /// <summary>Why (recorded with the run).</summary>
    public string? Reason { get; init; }
}

/// <summary>A retraining run: GET /api/retraining/{id}.</summary>
/// <param name="Id">The run id.</param>
/// <param name="Model">The model.</param>
/// <param name="State">One of <see cref="RetrainingStates"/>.</param>
/// <param name="Trigger"><c>drift</c>, <c>performance</c> or <c>manual</c>.</param>
/// <param name="Reason">Why the run started, or why it was skipped or failed.</param>
/// <param name="ChallengerVersion">The trained version, once there is one.</param>
/// <param name="PromotionId">The promotion request, once there is one.</param>
/// <param name="History">Every state the run went through, oldest first.</param>
/// <param name="CreatedAt">When the run was triggered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record RetrainingRunResponse(
    string Id,
    string Model,
    string State,
    string Trigger,
    string Reason,
    string? ChallengerVersion,
    string? PromotionId,
    IReadOnlyList<RetrainingHistoryEntry> History,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>One step of a run's history.</summary>
/// <param name="State">The state entered (or, for a joined trigger, the state the run was in).</param>
/// <param name="At">When.</param>
/// <param name="Detail">What happened.</param>
public sealed record RetrainingHistoryEntry(string State, DateTimeOffset At, string Detail);

/// <summary>The states of a retraining run.</summary>
public static class RetrainingStates
{
    /// <summary>Triggered; the policy is being checked.</summary>
    public const string Requested = "Requested";

    /// <summary>A trainer is training the challenger.</summary>
    public const string Training = "Training";

    /// <summary>The challenger is assessed against the champion.</summary>
    public const string Evaluating = "Evaluating";

    /// <summary>A promotion request waits for approval.</summary>
    public const string AwaitingApproval = "AwaitingApproval";

    /// <summary>Approved: the challenger is the champion.</summary>
    public const string Promoted = "Promoted";

    /// <summary>The promotion was rejected or cancelled.</summary>
    public const string Rejected = "Rejected";

    /// <summary>Nobody decided before the approval timeout.</summary>
    public const string Expired = "Expired";

    /// <summary>Training, evaluation or the promotion request failed after every attempt.</summary>
    public const string Failed = "Failed";

    /// <summary>The policy refused the trigger (cool-down, too few labelled rows, auto trigger off).</summary>
    public const string Skipped = "Skipped";

    /// <summary>Every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Requested, Training, Evaluating, AwaitingApproval, Promoted, Rejected, Expired, Failed, Skipped];

    /// <summary>States in which a run is over.</summary>
    public static bool IsFinal(string state) => state is Promoted or Rejected or Expired or Failed or Skipped;
}
