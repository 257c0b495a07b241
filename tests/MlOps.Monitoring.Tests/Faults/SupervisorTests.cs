using System.Diagnostics;
using MlOps.Monitoring.Hosting;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// The monitor's supervisor (<see cref="MonitorWorker"/>): a stop while it waits to start a failed consumer again is
/// prompt. That a failed run is started again without a person, from the last committed checkpoint, counting exactly
/// and saying why on <c>/health/ready</c> meanwhile, is held by <see cref="PostgresFaultTests"/>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SupervisorTests
{
    [Fact]
    public async Task A_monitor_stopped_while_it_waits_to_restart_its_consumer_stops_at_once()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await using var rig = await FaultRig.StartAsync(new FaultStream(), storage: postgres.Storage);
        // A long wait between restarts: the stop must not sit it out.
        var host = await rig.StartMonitorAsync(overrides: new Dictionary<string, string?> { ["MlOps:Monitoring:RestartDelay"] = "00:05:00", ["MlOps:Monitoring:RestartMaxDelay"] = "00:05:00" });
        await rig.RegisterAsync(host);
        var worker = host.Get<MonitorWorker>();
        using var producer = rig.Producer();
        rig.Produce(producer, 0, rig.Stream.Length / 4);
        await rig.WaitCheckpointedAsync(Enumerable.Range(0, rig.Partitions), "a quarter is checkpointed");
        await postgres.StopServerAsync();
        try
        {
            rig.Produce(producer, rig.Stream.Length / 4, rig.Stream.Length / 2);
            await Eventually.HoldsAsync(() => Task.FromResult(worker.Restarts >= 1), "the consumer fails and waits to restart", FaultScale.Recovery);
            var stopping = Stopwatch.StartNew();
            await rig.StopAsync(host);
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"the stop took {stopping.Elapsed.TotalSeconds:0.0} s");
        }
        finally
        {
            await postgres.StartServerAsync();
        }
    }

}
