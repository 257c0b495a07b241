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
    // Not reliable yet (here: 1 green of 3 runs after the saga fix). Found so far:
    // - The saga's step request was lost when the broker stopped right after the run became Training: the saga row is
    //   committed before the in-memory outbox publishes TrainModel; the publish failed, the retry found the run
    //   Training and its own trigger "joined" it, and the run waited for its training deadline. Fixed: the message that
    //   sent a step's request, consumed again, sends the request again (RetrainingStateMachine, StepRequestedBy).
    // - Still open: sometimes a publish in flight at the broker's graceful stop never completes (no SEND, no fault).
    //   The saga's delivery that made it never ends, so MassTransit never restarts the saga's receive endpoint: after
    //   the restart every other endpoint is Ready, RetrainingState has ready messages and 0 consumers, and the run stays
    //   in Training. Seen with MassTransit 8.5.12 on RabbitMQ.Client 7.2.2; cause inside the bus not yet pinned down.
    // - Not reproduced here: a DriftDetected marked published that the recorder never got (once in earlier runs).
    [ManualFaultFact("a publish in flight while RabbitMQ stops can hang and leave the saga's endpoint stopped (1 of 3 runs green); see the comment")]
    public async Task RabbitMQ_restarting_while_a_retraining_saga_trains_ends_in_one_run_one_challenger_and_one_alert_per_window()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream(shifted: new HashSet<int> { 1, 2 }));
        var (rabbitMq, vhost) = await servers.RabbitMqAsync();
        foreach (var (key, value) in rabbitMq.BusSettings(vhost))
            rig.CommonSettings[key] = value;
        rig.CommonSettings["MlOps:Orchestration:SweepInterval"] = "00:00:00.500";
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
