using System.Text.Json;
using MassTransit;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Retraining;
using MlOps.Hosting.Bus;
using MlOps.Storage;

namespace MlOps.Orchestration.Tests;

/// <summary>The retraining saga on the real Dapper repository (SQLite and PostgreSQL) through MassTransit's test harness.</summary>
public sealed class RetrainingSagaTests : IAsyncLifetime
{
    private readonly List<StorageOptions> _databases = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var db in _databases)
            await TestDatabases.DropAsync(db);
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Thirty_triggers_at_once_start_one_saga_and_one_run_the_others_join_it(string provider)
    {
        // More than the saga's retries (a monitor catching up closes many windows at once): none runs out of them.
        await using var host = await SagaHost.StartAsync(await Db(provider), trainer: new TrainerScript { Behaviour = _ => "silent" });
        await Task.WhenAll(Enumerable.Range(0, 30).Select(i => host.PublishAsync(Drift("churn", i))));

        var run = await host.RunAsync("churn", r => History(r).Count(h => h.Detail.StartsWith("joined:", StringComparison.Ordinal)) == 29, "29 triggers joined the run");
        Assert.Single(await host.RunsAsync("churn"));
        Assert.False(await host.Harness.Published.Any<Fault<DriftDetected>>(), "a trigger faulted");
        Assert.Equal(RetrainingStates.Training, run.State);
        Assert.Equal("drift", run.TriggerKind);
        await Eventually.HoldsAsync(() => host.Trainer.Calls == 1, "one TrainModel");
        await Task.Delay(300);
        Assert.Equal(1, host.Trainer.Calls);
    }

    [Fact]
    public async Task A_run_goes_from_drift_to_approval_and_promotion_and_a_trigger_in_the_cooldown_is_recorded_as_skipped()
    {
        await using var host = await SagaHost.StartAsync(await Db("sqlite"));
        await host.PublishAsync(Drift("churn", 0));
        var awaiting = await host.RunAsync("churn", r => r.State == RetrainingStates.AwaitingApproval, "the run waits for approval");
        Assert.Equal("2", awaiting.ChallengerVersion);
        Assert.Equal("p-1", awaiting.PromotionId);
        Assert.Equal(
            [RetrainingStates.Requested, RetrainingStates.Training, RetrainingStates.Evaluating, RetrainingStates.Evaluating, RetrainingStates.AwaitingApproval],
            History(awaiting).Select(h => h.State));

        await host.PublishAsync(new PromotionDecided { PromotionId = "p-1", Model = "churn", Version = "2", State = "approved", DecidedBy = "alice", Timestamp = DateTimeOffset.UtcNow });
        var promoted = await host.RunAsync("churn", r => r.State == RetrainingStates.Promoted, "the run is promoted");
        Assert.Contains("approved by alice", History(promoted)[^1].Detail, StringComparison.Ordinal);

        // Cool-down (6 h by default): the next drift is a skipped run with the reason, not silence.
        await host.PublishAsync(Drift("churn", 1));
        var skipped = await host.RunAsync("churn", r => r.Id != promoted.Id, "the next trigger is recorded");
        Assert.Equal(RetrainingStates.Skipped, skipped.State);
        Assert.StartsWith("skipped: cooldown", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(1, host.Trainer.Calls);

        // A person may still ask: manual requests are not held back by the cool-down.
        await host.PublishAsync(new RetrainingRequested { Model = "churn", Reason = "new labels arrived", RequestedBy = "bob", Timestamp = DateTimeOffset.UtcNow });
        await host.RunAsync("churn", r => r.TriggerKind == "manual" && r.State == RetrainingStates.AwaitingApproval, "the manual run waits for approval");
        Assert.Equal(2, host.Trainer.Calls);
    }

    [Fact]
    public async Task A_trainer_that_throws_is_retried_with_back_off_then_the_run_fails_with_the_reason_and_one_RetrainingFailed()
    {
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), trainer: new TrainerScript { Behaviour = _ => "throw" });
        double failedBefore = MlOps.Orchestration.Persistence.RetrainingSagaStore.RunsEnded.WithLabels("churn-fails", "Failed").Value;
        await host.PublishAsync(Drift("churn-fails", 0));
        var failed = await host.RunAsync("churn-fails", r => r.State == RetrainingStates.Failed, "the run failed");
        Assert.Equal(3, host.Trainer.Calls);
        Assert.Contains("training failed after 3 attempt(s)", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("the trainer ran out of memory", failed.Reason, StringComparison.Ordinal);
        Assert.Equal(2, History(failed).Count(h => h.Detail.Contains("failed:", StringComparison.Ordinal) && h.Detail.Contains("retrying at", StringComparison.Ordinal)));
        await Task.Delay(500);
        var published = host.Harness.Published.Select<RetrainingFailed>().ToList();
        var alert = Assert.Single(published);
        Assert.Equal("training", alert.Context.Message.Step);
        Assert.Equal(3, alert.Context.Message.Attempts);
        Assert.Equal(failedBefore + 1, MlOps.Orchestration.Persistence.RetrainingSagaStore.RunsEnded.WithLabels("churn-fails", "Failed").Value);
    }

    [Fact]
    public async Task A_trainer_that_never_answers_times_out_and_is_asked_again()
    {
        var script = new TrainerScript();
        script.Behaviour = _ => script.Calls == 1 ? "silent" : "answer";
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), trainer: script);
        await host.PublishAsync(Drift("churn", 0));
        var run = await host.RunAsync("churn", r => r.State == RetrainingStates.AwaitingApproval, "the second attempt got through");
        Assert.Equal(2, script.Calls);
        Assert.Contains(History(run), h => h.Detail.Contains("attempt 1 of 3 failed: no answer within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_trigger_delivered_again_after_its_training_request_was_lost_asks_the_trainer_again_at_once()
    {
        // The saga row is written before the in-memory outbox publishes TrainModel: a broker going down in between
        // loses the request while the run says Training, and the trigger comes again (retry or redelivery, same
        // message id). Here the first request is "lost" by a trainer that stays silent.
        var attempts = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var script = new TrainerScript();
        script.Behaviour = m =>
        {
            attempts.Enqueue(m.Attempt);
            return script.Calls == 1 ? "silent" : "answer";
        };
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), trainer: script);
        var id = Guid.NewGuid();
        await host.Harness.Bus.Publish(Drift("churn", 0), c => c.MessageId = id);
        await host.RunAsync("churn", r => r.State == RetrainingStates.Training, "the run trains");
        await Eventually.HoldsAsync(() => script.Calls == 1, "the first TrainModel");

        await host.Harness.Bus.Publish(Drift("churn", 0), c => c.MessageId = id);
        var run = await host.RunAsync("churn", r => r.State == RetrainingStates.AwaitingApproval, "the request sent again got an answer");
        Assert.Equal([1, 1], attempts);
        Assert.DoesNotContain(History(run), h => h.Detail.Contains("no answer within", StringComparison.Ordinal) || h.Detail.StartsWith("joined:", StringComparison.Ordinal));
        Assert.Contains(History(run), h => h.Detail.Contains("training: attempt 1 requested again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_few_labelled_examples_or_auto_trigger_off_skip_with_the_reason()
    {
        var gateway = new StubGateway { LabelledRows = 12 };
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), gateway);
        await host.PublishAsync(Drift("churn", 0));
        var skipped = await host.RunAsync("churn", r => r.State == RetrainingStates.Skipped, "skipped");
        Assert.Equal("skipped: min_labelled_rows (12 labelled examples since " + skipped.Reason.Split("since ")[1], skipped.Reason);
        Assert.Contains("the policy needs 100", skipped.Reason, StringComparison.Ordinal);

        gateway.LabelledRows = 5000;
        gateway.Policy = gateway.Policy with { AutoTrigger = false };
        await host.PublishAsync(new PerformanceDegraded { Model = "churn", Version = "1", WindowStart = DateTimeOffset.UtcNow, WindowEnd = DateTimeOffset.UtcNow, Metric = "roc_auc", Value = 0.6, Baseline = 0.8, LabelledRows = 900 });
        var off = await host.RunAsync("churn", r => r.Id != skipped.Id, "the second trigger is recorded");
        Assert.StartsWith("skipped: auto_trigger_off", off.Reason, StringComparison.Ordinal);
        Assert.Equal(0, host.Trainer.Calls);
    }

    [Fact]
    public async Task A_trigger_whose_policy_check_cannot_reach_the_monitor_is_retried_then_recorded_as_skipped_with_why()
    {
        var gateway = new StubGateway { MonitorDown = true };
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), gateway);
        await host.PublishAsync(Drift("churn", 0));
        var skipped = await host.RunAsync("churn", r => r.State == RetrainingStates.Skipped, "the trigger is recorded");
        Assert.StartsWith("skipped: policy_check_failed", skipped.Reason, StringComparison.Ordinal);
        Assert.Contains("Connection refused", skipped.Reason, StringComparison.Ordinal);
        Assert.Equal(0, host.Trainer.Calls);
    }

    [Fact]
    public async Task An_orchestrator_stopped_during_training_resumes_from_its_row_and_completes_exactly_once()
    {
        var storage = await Db("postgres");
        var gateway = new StubGateway();
        Guid runId;
        await using (var first = await SagaHost.StartAsync(storage, gateway, new TrainerScript { Behaviour = _ => "silent" }, BusTransport.RabbitMq))
        {
            await first.PublishAsync(Drift("churn", 0));
            var training = await first.RunAsync("churn", r => r.State == RetrainingStates.Training, "training");
            runId = Guid.ParseExact(training.Id, "N");
        }

        // The trainer (another process) answered while the orchestrator was down; its reply waits in the queue.
        await using var second = await SagaHost.StartAsync(storage, gateway, new TrainerScript { Behaviour = _ => "silent" }, BusTransport.RabbitMq);
        var reply = new ModelTrained { RunId = runId, Model = "churn", Version = "2", Trainer = "fastTree", Rows = new SplitSizes(80, 10, 10) };
        await second.PublishAsync(reply);
        await second.PublishAsync(reply); // redelivered: at-least-once transports do that
        var awaiting = await second.RunAsync("churn", r => r.State == RetrainingStates.AwaitingApproval, "the resumed run waits for approval");
        Assert.Equal(runId.ToString("N"), awaiting.Id);
        await second.PublishAsync(new PromotionDecided { PromotionId = awaiting.PromotionId!, Model = "churn", Version = "2", State = "approved", DecidedBy = "alice", Timestamp = DateTimeOffset.UtcNow });
        var done = await second.RunAsync("churn", r => r.State == RetrainingStates.Promoted, "promoted");
        Assert.Equal(1, gateway.PromotionRequests);
        Assert.Single(second.Harness.Published.Select<EvaluateChallenger>());
        Assert.Single(await second.RunsAsync("churn"));
        Assert.Single(History(done), h => h.State == RetrainingStates.Evaluating && h.Detail.StartsWith("version 2 trained", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_embedded_platform_restarted_during_training_fails_the_lost_attempt_at_once_and_trains_again()
    {
        // Embedded: the trainer shares the process's in-memory bus, so its request died with the process. The new
        // process's first sweep fails that attempt with the reason, and attempt 2 is sent without waiting for its deadline.
        var storage = await Db("sqlite");
        var gateway = new StubGateway();
        await using (var first = await SagaHost.StartAsync(storage, gateway, new TrainerScript { Behaviour = _ => "silent" }))
        {
            await first.PublishAsync(Drift("churn", 0));
            await first.RunAsync("churn", r => r.State == RetrainingStates.Training, "training");
        }

        var attempts = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var script = new TrainerScript();
        script.Behaviour = m =>
        {
            attempts.Enqueue(m.Attempt);
            return "answer";
        };
        await using var second = await SagaHost.StartAsync(storage, gateway, script);
        var run = await second.RunAsync("churn", r => r.State == RetrainingStates.AwaitingApproval, "attempt 2 trained after the restart");
        Assert.Equal([2], attempts);
        Assert.Contains(History(run), h => h.Detail.Contains($"attempt 1 of 3 failed: {DeadlineSweeper.LostRequest}", StringComparison.Ordinal));
        Assert.DoesNotContain(History(run), h => h.Detail.Contains("no answer within", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_auto_approved_promotion_ends_the_run_as_promoted_and_events_of_other_models_change_nothing()
    {
        var gateway = new StubGateway { PromotionState = "approved" };
        await using var host = await SagaHost.StartAsync(await Db("sqlite"), gateway);
        await host.PublishAsync(new PromotionDecided { PromotionId = "x", Model = "never-retrained", Version = "3", State = "approved", DecidedBy = "alice", Timestamp = DateTimeOffset.UtcNow });
        await host.PublishAsync(Drift("churn", 0));
        var run = await host.RunAsync("churn", r => r.State == RetrainingStates.Promoted, "auto-approved");
        Assert.Contains("auto-approve", History(run)[^1].Detail, StringComparison.Ordinal);
        Assert.Empty(await host.RunsAsync("never-retrained"));
    }

    private static DriftDetected Drift(string model, int i) => new()
    {
        Model = model,
        Version = "1",
        WindowStart = DateTimeOffset.UnixEpoch.AddMinutes(i),
        WindowEnd = DateTimeOffset.UnixEpoch.AddMinutes(i + 1),
        DriftedShare = 0.6,
        DriftedFeatures = ["age", "plan"],
        Rows = 1000,
    };

    private static List<RetrainingHistoryEntry> History(MlOps.Storage.Retraining.RunRow run) =>
        JsonSerializer.Deserialize<List<RetrainingHistoryEntry>>(run.HistoryJson, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;

    private async Task<StorageOptions> Db(string provider)
    {
        var db = provider == "postgres" ? await TestDatabases.NewPostgresSchemaAsync() : TestDatabases.NewSqlite();
        _databases.Add(db);
        return db;
    }
}
