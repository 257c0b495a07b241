using System.Net.Http.Json;
using Dapper;
using MlOps.Contracts.Retraining;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// RabbitMQ stopping and starting again while a retraining saga runs: the whole platform on one RabbitMQ node (the
/// suite's own), a drifted window starting the saga, the broker stopped while the challenger trains, a second drifted
/// window closing while the broker is down (its event waits in the outbox), the broker back. The saga must end in one
/// run with one challenger, promoted after one approval, the second drift joining it; window counts and alerts as in
/// every scenario (<see cref="FaultVerdict.AssertExactAsync"/>). See <see cref="FaultSuite"/>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RabbitMqFaultTests(FaultServers servers)
{
    // The suite's node runs with the settings a deployment gives its broker (deploy/rabbitmq/20-mlops.conf): RabbitMQ
    // 3.10 accepts them, and holds a training's unacknowledged TrainModel longer than the default 30 minutes.
    [Fact]
    public async Task The_broker_runs_with_the_deployments_consumer_timeout()
    {
        var (rabbitMq, _) = await servers.RabbitMqAsync();
        string setting = await rabbitMq.SettingAsync("consumer_timeout");
        Assert.True(setting == "{ok,90000000}", $"consumer_timeout of the running node: {setting} (deploy/rabbitmq/20-mlops.conf sets 90000000 ms, 25 h)");
    }

    // What this scenario found, each fixed:
    // - The saga's step request was lost when the broker stopped right after the run became Training (the saga row is
    //   committed before the in-memory outbox publishes TrainModel). The message that sent a step's request, consumed
    //   again, sends the request again (RetrainingStateMachine, StepRequestedBy).
    // - A publish in flight at the broker's stop waited for its confirm forever (rabbitmq-dotnet-client#1930; a dump
    //   showed InMemoryOutbox -> BasicPublishAsync -> MaybeWaitForConfirmationAsync), so the saga's delivery never
    //   ended and MassTransit never restarted the saga's endpoint. Every publish gives up after
    //   MlOps:Bus:PublishTimeout and is retried (PublishTimeout.cs).
    // - The registry's lifecycle publishes had no such bound: a version registered during the restart published
    //   ModelVersionRegistered into a lost confirm, the request never answered, and the trainer waiting for it held
    //   its TrainModel delivery (a dump: TrainModelConsumer -> RegisterVersionAsync -> HttpConnection; the registry ->
    //   LifecycleNotifier -> BasicPublishAsync). Bounded and published again in the background (LifecycleRedelivery,
    //   BrokerStallTests).
    // - Now and then receive endpoints (DriftRecorder, AlertConsumers, TrainModel, EvaluateChallenger) kept believing
    //   their consumer ran on a channel the broker had closed: ready messages, no consumer, nothing logged; a dump
    //   showed each waiting in RabbitMqConsumerFilter for its consumer to complete (MassTransit#5692/#6001 look
    //   alike). The ConsumerWatchdog asks the broker and restarts such an endpoint (ConsumerWatchdogTests reproduces
    //   the state with a proxy).
    // MLOPS_FAULT_DUMP=FILE writes a dump (dotnet-dump, a .NET global tool) when the run does not reach approval;
    // `dotnet-dump analyze FILE -c "dumpasync --coalesce"` shows what each endpoint waits for.
    [Fact]
    public async Task RabbitMQ_restarting_while_a_retraining_saga_trains_ends_in_one_run_one_challenger_and_one_alert_per_window()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream(shifted: new HashSet<int> { 1, 2 }));
        var (rabbitMq, vhost) = await servers.RabbitMqAsync();
        foreach (var (key, value) in rabbitMq.BusSettings(vhost))
            rig.CommonSettings[key] = value;
        rig.CommonSettings["MlOps:Orchestration:SweepInterval"] = "00:00:00.500";
        rig.CommonSettings["MlOps:Bus:PublishTimeout"] = "00:00:10";
        rig.CommonSettings["MlOps:Bus:ConsumerCheckInterval"] = "00:00:02";
        rig.Verdict.Diagnostics = async () => $"RabbitMQ queues:\n{await rabbitMq.ListQueuesAsync(vhost)}";
        // The relay retries what the broker refused; a message whose acknowledgement died with the connection comes again.
        rig.Verdict.BusAtLeastOnce = true;
        var host = await rig.StartMonitorAsync();
        await rig.RegisterAsync(host, new RetrainingPolicy { MinLabelledRows = 100, Trials = 2, Folds = 2, TimeBudgetSeconds = 20, Trainers = ["sdca"] });
        using var producer = rig.Producer();
        using var http = host.Http("viewer");
        var stream = rig.Stream;
        string model = stream.Models[0];

        // Windows 0 and 1 and a little of 2: window 1 closes, drifts, and starts the saga.
        int windowLength = stream.Length / stream.Windows;
        int closing = 2 * windowLength + windowLength / 3;
        rig.Produce(producer, 0, closing);
        var run = await RunAsync(http, model, r => r.State is "Training" or "Evaluating" or "AwaitingApproval" or "Failed" or "Skipped", "window 1's drift starts a run");
        Assert.True(run.State == "Training", $"the run is {run.State}, not training: {Describe(run)}");

        // The broker goes while the challenger trains; window 2 closes meanwhile and its drift waits in the outbox.
        await rabbitMq.StopServerAsync();
        try
        {
            rig.ProduceRestAndSeal(producer, closing);
            await Eventually.HoldsAsync(async () =>
            {
                await using var c = await rig.Database.OpenAsync();
                // MassTransit's publish waits for the connection rather than failing: the relay waits with it.
                return await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM monitor_outbox WHERE consumer_group = @group AND published_at IS NULL AND payload LIKE @window",
                    new { group = rig.Group, window = $"%{stream.WindowStart(2):yyyy-MM-ddTHH:mm:ss}%" }) > 0;
            }, "window 2 closes and its drift waits in the outbox for the broker", FaultScale.Recovery);
            await Task.Delay(FaultScale.Outage);
        }
        finally
        {
            await rabbitMq.StartServerAsync();
        }

        // Nobody does anything but approve: the run reaches approval, window 2's drift having joined it.
        try
        {
            run = await RunAsync(http, model, r => r.State is "AwaitingApproval" or "Failed" or "Promoted" or "Rejected" or "Expired", "the run waits for approval after the broker came back", TimeSpan.FromSeconds(120));
        }
        catch (Xunit.Sdk.XunitException e)
        {
            if (Environment.GetEnvironmentVariable("MLOPS_FAULT_DUMP") is { Length: > 0 } dump)
                System.Diagnostics.Process.Start(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet/tools/dotnet-dump"), ["collect", "-p", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dump])!.WaitForExit();
            throw new Xunit.Sdk.XunitException($"{e.Message}\nRabbitMQ queues:\n{await rabbitMq.ListQueuesAsync(vhost)}");
        }

        Assert.True(run.State == "AwaitingApproval", $"the run is {run.State}: {Describe(run)}");
        await host.RegistryAs("approver").ApprovePromotionAsync(run.PromotionId!, "fault suite");
        run = await RunAsync(http, model, r => r.State == "Promoted", "the approval reaches the saga");

        var runs = await RunsAsync(http, model);
        Assert.True(runs.Count == 1, $"{runs.Count} runs: {string.Join(" | ", runs.Select(Describe))}");
        Assert.Contains(run.History, h => h.Detail.Contains("drift", StringComparison.OrdinalIgnoreCase) && h.Detail.Contains(stream.WindowStart(2).ToString("u", System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal));
        var challengers = (await host.RegistryAs("viewer").ListVersionsAsync(model)).Where(v => v.RunId is not null).ToList();
        Assert.True(challengers.Count == 1, $"{challengers.Count} challenger versions registered: {string.Join(", ", challengers.Select(v => $"{v.Version} (run {v.RunId})"))}");
        Assert.Equal(run.ChallengerVersion, challengers[0].Version);
        await rig.Verdict.AssertExactAsync(host);
    }

    private static async Task<List<RetrainingRunResponse>> RunsAsync(HttpClient http, string model) =>
        await http.GetFromJsonAsync<List<RetrainingRunResponse>>(new Uri($"api/retraining?model={model}", UriKind.Relative)) ?? [];

    private static async Task<RetrainingRunResponse> RunAsync(HttpClient http, string model, Func<RetrainingRunResponse, bool> done, string what, TimeSpan? timeout = null)
    {
        RetrainingRunResponse? run = null;
        await Eventually.HoldsAsync(async () =>
        {
            run = (await RunsAsync(http, model)).FirstOrDefault();
            return run is not null && done(run);
        }, what, () => run is null ? "no run" : Describe(run), timeout ?? FaultScale.Recovery);
        return run!;
    }

    private static string Describe(RetrainingRunResponse run) =>
        $"{run.State} ({string.Join("; ", run.History.Select(h => $"{h.State}: {h.Detail}"))})";
}
