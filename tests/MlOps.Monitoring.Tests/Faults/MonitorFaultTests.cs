using MlOps.Monitoring.Hosting;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Monitor instances failing: one crashing mid-stream, after some of its windows raised alerts, without a last
/// checkpoint, and a new one taking over; three instances in one consumer group, joining, leaving and crashing while
/// records flow — on RabbitMQ, as several instances are deployed (with one in-memory bus each, an event an instance
/// relays as it stops dies with its bus). Each ends with <see cref="FaultVerdict.AssertExactAsync"/>. See
/// <see cref="FaultSuite"/>.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class MonitorFaultTests(FaultServers servers)
{
    [Fact]
    public async Task A_monitor_crashing_mid_stream_after_alerting_is_replaced_without_loss_double_count_or_a_second_alert()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream());
        using var producer = rig.Producer();
        var stream = rig.Stream;
        // Checkpoints only after 25 records of a partition: at the crash most partitions hold processed records that
        // are not stored, and must be read again by the next instance.
        double counted = Counted();
        var crashing = await rig.StartMonitorAsync(checkpointOnStop: false, checkpointRecords: 25);
        await rig.RegisterAsync(crashing);
        // Two thirds into the last window: every partition has checkpointed past the shifted window, so it closed.
        int beforeCrash = stream.Length * (stream.Windows - 1) / stream.Windows + 2 * stream.Length / (3 * stream.Windows);
        rig.Produce(producer, 0, beforeCrash);
        // The shifted window closed and alerted before the crash: the next instance must not alert it again.
        await Eventually.HoldsAsync(() => Task.FromResult(rig.Webhooks.Requests.Count > 0), "the shifted window's alerts reach the webhook before the crash", FaultScale.Recovery);
        // A few more records, fewer per partition than a checkpoint takes: processed, then lost with the process.
        int trickle = beforeCrash + 6 * rig.Partitions;
        rig.Produce(producer, beforeCrash, trickle);
        await Eventually.HoldsAsync(() => Task.FromResult(Counted() - counted >= trickle), "the monitor processed every prediction produced so far",
            () => $"{Counted() - counted} of {trickle}", FaultScale.Recovery);
        var produced = rig.HighWatermarks();
        await rig.StopAsync(crashing);
        var stored = await rig.StoredOffsetsAsync();
        Assert.True(produced.Any(e => stored.GetValueOrDefault(e.Key) < e.Value), $"the crash lost no processed record (stored {FaultRig.Describe(stored)}, produced {FaultRig.Describe(produced)}): the scenario would test nothing");

        var replacement = await rig.StartMonitorAsync();
        rig.ProduceRestAndSeal(producer, trickle);
        await rig.Verdict.AssertExactAsync(replacement);
    }

    [Fact]
    public async Task Three_monitors_joining_leaving_and_crashing_mid_stream_count_every_event_once_and_alert_once()
    {
        await using var rig = await FaultRig.StartAsync(new FaultStream());
        var (rabbitMq, vhost) = await servers.RabbitMqAsync();
        foreach (var (key, value) in rabbitMq.BusSettings(vhost))
            rig.CommonSettings[key] = value;
        rig.Verdict.Diagnostics = async () => $"RabbitMQ queues:\n{await rabbitMq.ListQueuesAsync(vhost)}";
        // Several relays publish from one outbox: a window event may go out twice, always with its one message id.
        rig.Verdict.BusAtLeastOnce = true;
        using var producer = rig.Producer();
        var stream = rig.Stream;
        int part = stream.Length / 4;
        var first = await rig.StartMonitorAsync();
        await rig.RegisterAsync(first);
        rig.Produce(producer, 0, part);

        // Two join at once (one rebalance): the six partitions spread over three instances.
        var joining = await Task.WhenAll(rig.StartMonitorAsync(), rig.StartMonitorAsync(checkpointOnStop: false, checkpointRecords: 25));
        var (leaving, crashing) = (joining[0], joining[1]);
        await Eventually.HoldsAsync(() => Task.FromResult(new[] { first, leaving, crashing }.All(h => h.Get<MonitorWorker>().AssignedPartitions.Count == 2)),
            "the group spreads the partitions over three instances", () => Assignments(first, leaving, crashing), FaultScale.Recovery);
        rig.Produce(producer, part, 2 * part);

        // One leaves cleanly mid-stream: its partitions are checkpointed as they are revoked.
        rig.Produce(producer, 2 * part, 3 * part, flush: false);
        await rig.StopAsync(leaving);
        Assert.Equal(0, producer.Flush(TimeSpan.FromSeconds(60)));

        // One crashes mid-stream without a last checkpoint: the group moves its partitions after the session timeout.
        await Eventually.HoldsAsync(() => Task.FromResult(crashing.Get<MonitorWorker>().AssignedPartitions.Count > 0), "the crashing instance owns partitions", () => Assignments(first, crashing), FaultScale.Recovery);
        rig.Produce(producer, 3 * part, 3 * part + part / 2, flush: false);
        await rig.StopAsync(crashing);
        rig.ProduceRestAndSeal(producer, 3 * part + part / 2);
        await rig.Verdict.AssertExactAsync(first);
    }

    // mlops_predictions_total of the stream's model in this process (every instance of a test counts into it).
    private static double Counted() => MlOps.Monitoring.Metrics.MonitoringMetrics.Predictions.WithLabels("fault", "1").Value;

    private static string Assignments(params MonitorHost[] hosts) =>
        string.Join("; ", hosts.Select((h, i) => $"instance {i}: [{string.Join(",", h.Get<MonitorWorker>().AssignedPartitions.Order())}]"));
}
