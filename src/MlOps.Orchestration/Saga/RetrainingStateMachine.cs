using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Retraining;

namespace MlOps.Orchestration.Saga;

/// <summary>
/// One retraining saga per model: a trigger (drift, degraded performance, a person) → policy check → <c>Training</c>
/// (<see cref="TrainModel"/>) → <c>Evaluating</c> (<see cref="EvaluateChallenger"/>, then a promotion request by the
/// saga's principal) → <c>AwaitingApproval</c> → <c>Promoted</c> | <c>Rejected</c> | <c>Expired</c>, or
/// <c>Failed</c> after the step's attempts (with one <see cref="RetrainingFailed"/>). A trigger refused by policy
/// ends as <c>Skipped</c> with the reason; one during a run joins it. Deadlines live in the saga row and come back as
/// <see cref="RetrainingDeadlineReached"/> from the sweeper; a stale one (another deadline, another state) is ignored.
/// </summary>
public sealed partial class RetrainingStateMachine : MassTransitStateMachine<RetrainingState>
{
    private readonly OrchestrationOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Builds the state machine.</summary>
    public RetrainingStateMachine(IOptions<OrchestrationOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        InstanceState(x => x.CurrentState);

        Event(() => Drift, e => Trigger(e, m => m.Model));
        Event(() => Degraded, e => Trigger(e, m => m.Model));
        Event(() => Manual, e => Trigger(e, m => m.Model));
        Event(() => Trained, e => Follow(e, m => SagaIds.For(m.Model)));
        Event(() => TrainingFaulted, e => Follow(e, m => SagaIds.For(m.Message.Model)));
        Event(() => Evaluated, e => Follow(e, m => SagaIds.For(m.Model)));
        Event(() => EvaluationFaulted, e => Follow(e, m => SagaIds.For(m.Message.Model)));
        Event(() => Decided, e => Follow(e, m => SagaIds.For(m.Model)));
        Event(() => DeadlineReached, e => Follow(e, m => m.CorrelationId));

        // Idle (never ran, or the last run is over): a trigger starts a run or is recorded as skipped.
        During([Initial, Promoted, Rejected, Expired, Failed, Skipped],
            When(Drift).ThenAsync(c => StartAsync(c, "drift", DriftReason(c.Message), automatic: true)),
            When(Degraded).ThenAsync(c => StartAsync(c, "performance", PerformanceReason(c.Message), automatic: true)),
            When(Manual).ThenAsync(c => StartAsync(c, "manual", $"{c.Message.Reason} (requested by {c.Message.RequestedBy})", automatic: false)));

        // A run is in progress: triggers join it.
        During([Training, Evaluating, AwaitingApproval],
            When(Drift, c => !IsRepeatOfStepRequest(c)).Then(c => Join(c.Saga, "drift", DriftReason(c.Message))),
            When(Degraded, c => !IsRepeatOfStepRequest(c)).Then(c => Join(c.Saga, "performance", PerformanceReason(c.Message))),
            When(Manual, c => !IsRepeatOfStepRequest(c)).Then(c => Join(c.Saga, "manual", $"{c.Message.Reason} (requested by {c.Message.RequestedBy})")));

        // The message that moved the saga into its step and published the step's request, consumed again: the saga row
        // was committed before the in-memory outbox published, so a publish that failed (the broker going down) left a
        // saga waiting for an answer to a request nobody got — until the step's deadline (training: its budget plus
        // 10 minutes). The retry of that message, or its redelivery after the broker is back, sends the request again.
        During([Training, Evaluating],
            When(Drift, IsRepeatOfStepRequest).ThenAsync(SendStepAgainAsync),
            When(Degraded, IsRepeatOfStepRequest).ThenAsync(SendStepAgainAsync),
            When(Manual, IsRepeatOfStepRequest).ThenAsync(SendStepAgainAsync),
            When(Trained, IsRepeatOfStepRequest).ThenAsync(SendStepAgainAsync),
            When(DeadlineReached, IsRepeatOfStepRequest).ThenAsync(SendStepAgainAsync));

        During(Training,
            When(Trained, c => c.Message.RunId == c.Saga.RunId).ThenAsync(OnTrainedAsync),
            When(TrainingFaulted, c => c.Message.Message.RunId == c.Saga.RunId && c.Message.Message.Attempt == c.Saga.Attempt && !c.Saga.RetryPending)
                .ThenAsync(c => FailAttemptAsync(c, Describe(c.Message))));

        During(Evaluating,
            When(Evaluated, c => c.Message.RunId == c.Saga.RunId && c.Saga.Step == Steps.Evaluating).ThenAsync(OnEvaluatedAsync),
            When(EvaluationFaulted, c => c.Message.Message.RunId == c.Saga.RunId && c.Message.Message.Attempt == c.Saga.Attempt && c.Saga.Step == Steps.Evaluating && !c.Saga.RetryPending)
                .ThenAsync(c => FailAttemptAsync(c, Describe(c.Message))));

        // The decision may overtake the saga's own record of the request it made (auto-approval): match the version too.
        During(Evaluating, AwaitingApproval,
            When(Decided, c => c.Message.PromotionId == c.Saga.PromotionId || (c.Saga.PromotionId is null && c.Message.Version == c.Saga.ChallengerVersion))
                .ThenAsync(c => OnDecidedAsync(c, c.Message.PromotionId, c.Message.State, c.Message.DecidedBy, c.Message.Comment)));

        During([Training, Evaluating, AwaitingApproval],
            When(DeadlineReached, c => c.Saga.Deadline is { } d && d.ToUnixTimeMilliseconds() == c.Message.Deadline.ToUnixTimeMilliseconds())
                .ThenAsync(OnDeadlineAsync));

        OnUnhandledEvent(x => x.Ignore());
    }

    /// <summary>A run is training its challenger.</summary>
    public State Training { get; private set; } = null!;

    /// <summary>The challenger is assessed and its promotion requested.</summary>
    public State Evaluating { get; private set; } = null!;

    /// <summary>The promotion request waits for a person.</summary>
    public State AwaitingApproval { get; private set; } = null!;

    /// <summary>The challenger became champion.</summary>
    public State Promoted { get; private set; } = null!;

    /// <summary>The promotion was rejected or cancelled.</summary>
    public State Rejected { get; private set; } = null!;

    /// <summary>Nobody decided in time.</summary>
    public State Expired { get; private set; } = null!;

    /// <summary>A step failed after its attempts.</summary>
    public State Failed { get; private set; } = null!;

    /// <summary>The policy refused the last trigger.</summary>
    public State Skipped { get; private set; } = null!;

    /// <summary>Data drift in a window.</summary>
    public Event<DriftDetected> Drift { get; private set; } = null!;

    /// <summary>A live metric fell below its baseline.</summary>
    public Event<PerformanceDegraded> Degraded { get; private set; } = null!;

    /// <summary>A person asked.</summary>
    public Event<RetrainingRequested> Manual { get; private set; } = null!;

    /// <summary>The trainer registered the challenger.</summary>
    public Event<ModelTrained> Trained { get; private set; } = null!;

    /// <summary>The trainer threw.</summary>
    public Event<Fault<TrainModel>> TrainingFaulted { get; private set; } = null!;

    /// <summary>The challenger was assessed.</summary>
    public Event<ChallengerEvaluated> Evaluated { get; private set; } = null!;

    /// <summary>The assessment threw.</summary>
    public Event<Fault<EvaluateChallenger>> EvaluationFaulted { get; private set; } = null!;

    /// <summary>The registry decided the promotion request.</summary>
    public Event<PromotionDecided> Decided { get; private set; } = null!;

    /// <summary>The sweeper saw the saga's deadline pass.</summary>
    public Event<RetrainingDeadlineReached> DeadlineReached { get; private set; } = null!;

    private static void Trigger<T>(IEventCorrelationConfigurator<RetrainingState, T> e, Func<T, string> model) where T : class
    {
        e.CorrelateById(c => SagaIds.For(model(c.Message)));
        // Insert first (ON CONFLICT DO NOTHING): of ten triggers at once, one creates the saga and the others load it.
        e.InsertOnInitial = true;
        e.SetSagaFactory(c => new RetrainingState { CorrelationId = SagaIds.For(model(c.Message)), Model = model(c.Message) });
    }

    private static void Follow<T>(IEventCorrelationConfigurator<RetrainingState, T> e, Func<T, Guid> id) where T : class
    {
        e.CorrelateById(c => id(c.Message));
        // Promotions of models that were never retrained, stale deadlines of deleted sagas: nothing to do.
        e.OnMissingInstance(m => m.Discard());
    }

    private static bool IsRepeatOfStepRequest<T>(BehaviorContext<RetrainingState, T> context) where T : class =>
        !context.Saga.RetryPending && context.Saga.StepRequestedBy is { } by && context.MessageId == by;

    private static string DriftReason(DriftDetected m) =>
        string.Create(CultureInfo.InvariantCulture, $"drift in window {m.WindowStart:u}–{m.WindowEnd:u} of version {m.Version}: {m.DriftedShare:P0} of features drifted ({string.Join(", ", m.DriftedFeatures)})");

    private static string PerformanceReason(PerformanceDegraded m) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.Metric} {m.Value:0.####} below its baseline {m.Baseline:0.####} in window {m.WindowStart:u}–{m.WindowEnd:u} of version {m.Version} ({m.LabelledRows} labelled)");

    private static string Describe<T>(Fault<T> fault) where T : class =>
        fault.Exceptions.Length == 0 ? "the consumer failed" : string.Join("; ", fault.Exceptions.Select(e => $"{e.ExceptionType.Split('.')[^1]}: {e.Message}"));

    /// <summary>The steps a run retries.</summary>
    internal static class Steps
    {
        public const string Training = "training";
        public const string Evaluating = "evaluating";
        public const string Promotion = "promotion";
    }
}
