using System.Globalization;
using MassTransit;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;

namespace MlOps.Orchestration.Saga;

// What each event does. Every handler ends in one state (GoToAsync); publishes go through the endpoint's in-memory
// outbox, so a handler retried after a version conflict sends nothing twice.
public sealed partial class RetrainingStateMachine
{
    private async Task StartAsync(BehaviorContext<RetrainingState> context, string trigger, string reason, bool automatic)
    {
        var saga = context.Saga;
        var now = _time.GetUtcNow();
        saga.RunId = Guid.CreateVersion7(now);
        saga.Trigger = trigger;
        saga.Reason = reason;
        saga.RunCreatedAt = now;
        saga.History = [new(RetrainingStates.Requested, now, $"{trigger}: {reason}")];
        saga.ChallengerVersion = null;
        saga.PromotionId = null;
        saga.Evidence = null;
        saga.Step = "";
        saga.Attempt = 0;
        saga.RetryPending = false;
        saga.Deadline = null;

        var gateway = context.GetServiceOrCreateInstance<IRetrainingGateway>();
        ModelPolicies? model;
        long rows;
        var from = now;
        try
        {
            model = await gateway.GetModelAsync(saga.Model, context.CancellationToken);
            if (model is not null)
            {
                from = now.AddDays(-model.Retraining.TrainingWindowDays);
                rows = await gateway.CountLabelledAsync(saga.Model, from, now, context.CancellationToken);
            }
            else
            {
                rows = 0;
            }
        }
        catch (Exception e) when (e is not OperationCanceledException && context.GetRetryAttempt() >= OrchestrationService.SagaRetryLimit)
        {
            // The registry or the monitor stayed unreachable through every retry: record the trigger, do not drop it.
            await SkipAsync(context, $"skipped: policy_check_failed (the registry or the monitor did not answer: {e.Message}); the next trigger tries again");
            return;
        }

        if (model is null)
        {
            await SkipAsync(context, $"skipped: model '{saga.Model}' is not registered");
            return;
        }

        var policy = model.Retraining;
        if (automatic && !policy.AutoTrigger)
        {
            await SkipAsync(context, "skipped: auto_trigger_off (the model's retraining policy has autoTrigger: false; request a run by hand)");
            return;
        }

        if (automatic && saga.LastRunEndedAt is { } ended && now < ended.AddHours(policy.CooldownHours))
        {
            await SkipAsync(context, string.Create(CultureInfo.InvariantCulture,
                $"skipped: cooldown (the last run ended at {ended:u}; automatic triggers start runs again from {ended.AddHours(policy.CooldownHours):u}, cooldownHours {policy.CooldownHours})"));
            return;
        }

        if (rows < policy.MinLabelledRows)
        {
            await SkipAsync(context, string.Create(CultureInfo.InvariantCulture,
                $"skipped: min_labelled_rows ({rows} labelled examples since {from:u}; the policy needs {policy.MinLabelledRows})"));
            return;
        }

        saga.Policy = policy;
        saga.ApprovalTimeoutHours = policy.ApprovalTimeoutHours ?? model.PromotionExpiryHours;
        saga.ChampionVersion = model.ChampionVersion;
        saga.DataFrom = from;
        saga.DataTo = now;
        saga.Step = Steps.Training;
        saga.Attempt = 1;
        saga.Deadline = now + StepTimeout(saga);
        Record(saga, RetrainingStates.Training, string.Create(CultureInfo.InvariantCulture,
            $"training on {rows} labelled examples from {from:u} to {now:u}; attempt 1 of {policy.MaxAttempts}, answer due by {saga.Deadline:u}"));
        await GoToAsync(context, Training);
        await SendStepAsync(context);
    }

    private async Task SkipAsync(BehaviorContext<RetrainingState> context, string reason)
    {
        context.Saga.Reason = reason;
        Record(context.Saga, RetrainingStates.Skipped, reason);
        await GoToAsync(context, Skipped);
    }

    private void Join(RetrainingState saga, string trigger, string reason) =>
        Record(saga, saga.CurrentState, $"joined: {trigger}: {reason}");

    private async Task OnTrainedAsync(BehaviorContext<RetrainingState, ModelTrained> context)
    {
        var saga = context.Saga;
        var m = context.Message;
        saga.ChallengerVersion = m.Version;
        saga.Step = Steps.Evaluating;
        saga.Attempt = 1;
        saga.RetryPending = false;
        saga.Deadline = _time.GetUtcNow() + StepTimeout(saga);
        string metrics = string.Join(", ", m.TestMetrics.OrderBy(x => x.Key, StringComparer.Ordinal).Select(x => string.Create(CultureInfo.InvariantCulture, $"{x.Key} {x.Value:0.####}")));
        Record(saga, RetrainingStates.Evaluating, string.Create(CultureInfo.InvariantCulture,
            $"version {m.Version} trained ({m.Trainer}, best of {m.Trials} trials; {m.Rows.Train}/{m.Rows.Validation}/{m.Rows.Test} train/validation/test rows; test {metrics}); evaluating against {saga.ChampionVersion ?? "no champion"}"));
        await GoToAsync(context, Evaluating);
        await SendStepAsync(context);
    }

    private async Task OnEvaluatedAsync(BehaviorContext<RetrainingState, ChallengerEvaluated> context)
    {
        var saga = context.Saga;
        saga.Evidence = context.Message.Evidence;
        saga.Step = Steps.Promotion;
        saga.Attempt = 1;
        saga.RetryPending = false;
        Record(saga, RetrainingStates.Evaluating, $"evaluated on {context.Message.Evidence.EvaluationData}; requesting the promotion of version {saga.ChallengerVersion}");
        await SendStepAsync(context);
    }

    private async Task OnDecidedAsync(BehaviorContext<RetrainingState> context, string promotionId, string state, string by, string? comment)
    {
        var saga = context.Saga;
        saga.PromotionId ??= promotionId;
        string note = string.IsNullOrWhiteSpace(comment) ? "" : $": {comment}";
        switch (state)
        {
            case "approved":
                await EndAsync(context, Promoted, $"promotion {promotionId} approved by {by}{note}; version {saga.ChallengerVersion} is the champion");
                break;
            case "rejected":
            case "cancelled":
                await EndAsync(context, Rejected, $"promotion {promotionId} {state} by {by}{note}");
                break;
            case "expired":
                await EndAsync(context, Expired, $"promotion {promotionId} expired without a decision");
                break;
        }
    }

    private async Task OnDeadlineAsync(BehaviorContext<RetrainingState, RetrainingDeadlineReached> context)
    {
        var saga = context.Saga;
        if (saga.RetryPending)
        {
            saga.Attempt++;
            saga.RetryPending = false;
            saga.Deadline = saga.Step == Steps.Promotion ? null : _time.GetUtcNow() + StepTimeout(saga);
            Record(saga, saga.CurrentState, $"{saga.Step}: attempt {saga.Attempt} of {saga.Policy.MaxAttempts}");
            await SendStepAsync(context);
            return;
        }

        if (saga.CurrentState != nameof(AwaitingApproval))
        {
            await FailAttemptAsync(context, context.Message.Reason ?? $"no answer within {StepTimeout(saga)}");
            return;
        }

        // The approval timeout: what did the registry decide? (Its event may have been lost; this recovers it.)
        var gateway = context.GetServiceOrCreateInstance<IRetrainingGateway>();
        try
        {
            var promotion = await gateway.GetPromotionAsync(saga.PromotionId!, context.CancellationToken);
            if (promotion.State == "pending")
            {
                await gateway.CancelPromotionAsync(promotion.Id, $"approval timeout of retraining run {saga.RunId:N} ({saga.ApprovalTimeoutHours} h)", context.CancellationToken);
                await EndAsync(context, Expired, string.Create(CultureInfo.InvariantCulture, $"no decision within {saga.ApprovalTimeoutHours} h; promotion {promotion.Id} cancelled"));
            }
            else
            {
                await OnDecidedAsync(context, promotion.Id, promotion.State, promotion.DecidedBy ?? "system", promotion.DecisionComment);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            saga.Deadline = _time.GetUtcNow().AddMinutes(1);
            Record(saga, saga.CurrentState, $"approval timeout reached but the registry could not be asked ({e.Message}); asking again at {saga.Deadline:u}");
        }
    }

    // Sends the current step's request. The promotion request is a call to the registry, made here.
    private async Task SendStepAsync(BehaviorContext<RetrainingState> context)
    {
        var saga = context.Saga;
        // Publishes leave through the in-memory outbox only after the saga row is written: remember which message
        // sent this request, so that if it comes again (the publish failed, or its acknowledgement was lost) the
        // request is sent again instead of the message being taken for a new one.
        saga.StepRequestedBy = saga.Step is Steps.Training or Steps.Evaluating ? context.MessageId : null;
        switch (saga.Step)
        {
            case Steps.Training:
                await context.Publish(new TrainModel
                {
                    RunId = saga.RunId!.Value,
                    Model = saga.Model,
                    ParentVersion = saga.ChampionVersion,
                    From = saga.DataFrom,
                    To = saga.DataTo,
                    Policy = saga.Policy,
                    Attempt = saga.Attempt,
                });
                break;
            case Steps.Evaluating:
                await context.Publish(new EvaluateChallenger
                {
                    RunId = saga.RunId!.Value,
                    Model = saga.Model,
                    ChallengerVersion = saga.ChallengerVersion!,
                    ChampionVersion = saga.ChampionVersion,
                    From = saga.DataFrom,
                    To = saga.DataTo,
                    Seed = saga.Policy.Seed,
                    Attempt = saga.Attempt,
                });
                break;
            case Steps.Promotion:
                await RequestPromotionAsync(context);
                break;
        }
    }

    private async Task RequestPromotionAsync(BehaviorContext<RetrainingState> context)
    {
        var saga = context.Saga;
        var gateway = context.GetServiceOrCreateInstance<IRetrainingGateway>();
        PromotionResponse promotion;
        try
        {
            promotion = await gateway.RequestPromotionAsync(saga.Model, saga.ChallengerVersion!, saga.Evidence ?? new PromotionEvidence(),
                $"Retraining run {saga.RunId:N} ({saga.Trigger}: {saga.Reason})", context.CancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FailAttemptAsync(context, $"promotion request failed: {e.Message}");
            return;
        }

        saga.PromotionId = promotion.Id;
        if (promotion.State != "pending")
        {
            await OnDecidedAsync(context, promotion.Id, promotion.State, promotion.DecidedBy ?? "auto-approve", promotion.DecisionComment);
            return;
        }

        var timeout = _time.GetUtcNow().AddHours(saga.ApprovalTimeoutHours);
        saga.Deadline = timeout < promotion.ExpiresAt ? timeout : promotion.ExpiresAt;
        Record(saga, RetrainingStates.AwaitingApproval, $"promotion {promotion.Id} of version {promotion.Version} requested by {promotion.RequestedBy}; waiting for approval until {saga.Deadline:u}");
        await GoToAsync(context, AwaitingApproval);
    }

    // The message that sent the current step's request came again (see IsRepeatOfStepRequest): send the request again.
    // The trainer and the evaluator are idempotent per run, and a second answer finds the saga past the step.
    private async Task SendStepAgainAsync(BehaviorContext<RetrainingState> context)
    {
        Record(context.Saga, context.Saga.CurrentState, $"{context.Saga.Step}: attempt {context.Saga.Attempt} requested again (the message that requested it was delivered again, so its request may have been lost with the broker)");
        await SendStepAsync(context);
    }

    // A failed attempt of the current step: back off and retry, or fail the run.
    private async Task FailAttemptAsync(BehaviorContext<RetrainingState> context, string error)
    {
        var saga = context.Saga;
        var now = _time.GetUtcNow();
        if (saga.Attempt < saga.Policy.MaxAttempts)
        {
            var delay = _options.RetryBaseDelay * Math.Pow(2, saga.Attempt - 1);
            saga.RetryPending = true;
            saga.Deadline = now + delay;
            Record(saga, saga.CurrentState, $"{saga.Step}: attempt {saga.Attempt} of {saga.Policy.MaxAttempts} failed: {error}; retrying at {saga.Deadline:u}");
            return;
        }

        string step = saga.Step;
        await EndAsync(context, Failed, $"{step} failed after {saga.Attempt} attempt(s): {error}");
        await context.Publish(new RetrainingFailed
        {
            RunId = saga.RunId!.Value,
            Model = saga.Model,
            Step = step,
            Reason = error,
            Attempts = saga.Attempt,
            Timestamp = now,
        });
    }

    private async Task EndAsync(BehaviorContext<RetrainingState> context, State state, string detail)
    {
        var saga = context.Saga;
        saga.Deadline = null;
        saga.RetryPending = false;
        saga.LastRunEndedAt = _time.GetUtcNow();
        if (state != Promoted)
            saga.Reason = detail;
        Record(saga, state.Name, detail);
        await GoToAsync(context, state);
    }

    private Task GoToAsync(BehaviorContext<RetrainingState> context, State state) =>
        context.Saga.CurrentState == state.Name ? Task.CompletedTask : context.TransitionToState(state);

    private void Record(RetrainingState saga, string state, string detail) => saga.History.Add(new(state, _time.GetUtcNow(), detail));

    private TimeSpan StepTimeout(RetrainingState saga) => saga.Step == Steps.Training
        ? TimeSpan.FromSeconds(saga.Policy.TimeBudgetSeconds) + _options.TrainingDeadlineSlack
        : _options.EvaluationTimeout;
}
