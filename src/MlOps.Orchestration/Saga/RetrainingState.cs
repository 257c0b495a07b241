using System.Text.Json.Serialization;
using MassTransit;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;

namespace MlOps.Orchestration.Saga;

/// <summary>
/// The retraining saga of one model (its correlation id is <see cref="SagaIds.For"/> of the model name) and its
/// current run. Stored as JSON in <c>retraining_sagas</c>; the run is projected into <c>retraining_runs</c> in the
/// same transaction.
/// </summary>
public sealed class RetrainingState : SagaStateMachineInstance, ISagaVersion
{
    /// <inheritdoc />
    public Guid CorrelationId { get; set; }

    /// <summary>Optimistic-concurrency version, checked in every update.</summary>
    public int Version { get; set; }

    /// <summary>The state machine's state (the run's state once a run exists).</summary>
    public string CurrentState { get; set; } = "";

    /// <summary>The model.</summary>
    public string Model { get; set; } = "";

    /// <summary>The current (or last) run.</summary>
    public Guid? RunId { get; set; }

    /// <summary><c>drift</c>, <c>performance</c> or <c>manual</c>.</summary>
    public string Trigger { get; set; } = "";

    /// <summary>Why the run started, or why it was skipped or failed.</summary>
    public string Reason { get; set; } = "";

    /// <summary>When the run was triggered.</summary>
    public DateTimeOffset RunCreatedAt { get; set; }

    /// <summary>The champion when the run started.</summary>
    public string? ChampionVersion { get; set; }

    /// <summary>The trained challenger.</summary>
    public string? ChallengerVersion { get; set; }

    /// <summary>The promotion request.</summary>
    public string? PromotionId { get; set; }

    /// <summary>Training data range start.</summary>
    public DateTimeOffset DataFrom { get; set; }

    /// <summary>Training data range end (exclusive).</summary>
    public DateTimeOffset DataTo { get; set; }

    /// <summary>The model's retraining policy when the run started.</summary>
    public RetrainingPolicy Policy { get; set; } = new();

    /// <summary>Hours a promotion request may wait for approval in this run.</summary>
    public double ApprovalTimeoutHours { get; set; } = 72;

    /// <summary>The step in progress: <c>training</c>, <c>evaluating</c> or <c>promotion</c>.</summary>
    public string Step { get; set; } = "";

    /// <summary>Attempt of <see cref="Step"/>, from 1.</summary>
    public int Attempt { get; set; }

    /// <summary>True while waiting for the back-off before the next attempt (the deadline is then the retry time).</summary>
    public bool RetryPending { get; set; }

    /// <summary>The deadline the saga waits for: the step's time-out, the retry time or the approval timeout.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>
    /// The message whose handling published the current step's request (<see cref="TrainModel"/> or
    /// <see cref="EvaluateChallenger"/>); null when no request is on the bus. See
    /// <see cref="RetrainingStateMachine"/>: that message coming again means the request may never have left.
    /// </summary>
    public Guid? StepRequestedBy { get; set; }

    /// <summary>The evaluation's evidence, kept for a promotion request that must be retried.</summary>
    public PromotionEvidence? Evidence { get; set; }

    /// <summary>Every state of the current run, with what happened.</summary>
    public List<RetrainingHistoryEntry> History { get; set; } = [];

    /// <summary>When the last run that trained (not a skipped one) ended: the start of the cool-down.</summary>
    public DateTimeOffset? LastRunEndedAt { get; set; }

    /// <summary>The stored JSON this instance was loaded from: an event that changed nothing is not written again.</summary>
    [JsonIgnore]
    internal string? StoredJson { get; set; }

    /// <summary>The run and state as stored, to count a run once when it ends.</summary>
    [JsonIgnore]
    internal (Guid? RunId, string State) Stored { get; set; }
}

/// <summary>Saga correlation ids: one saga per model.</summary>
public static class SagaIds
{
    /// <summary>A stable id derived from the model name (SHA-256, first 16 bytes): every trigger of a model finds the same saga.</summary>
    public static Guid For(string model)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("mlops-retraining/" + model), hash);
        return new Guid(hash[..16]);
    }
}
