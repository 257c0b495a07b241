using System.Globalization;
using System.Text.Json;
using Dapper;
using MlOps.Contracts.Monitoring;
using MlOps.Monitoring.Results;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// The verdict of a fault scenario, read black-box from the store, the topics, the bus recorders and the webhook
/// receiver. It first waits — bounded by <see cref="FaultScale.Recovery"/>, with no person doing anything — until the
/// group is quiet: every window of every model stored with all its outcomes, every record of both topics behind a
/// stored offset, every outbox event published, every alert delivery done. Then it asserts exact numbers: each
/// window's predictions and labelled predictions equal what was produced (duplicates and retries counted once), the
/// shifted windows and only they raised one <c>DriftDetected</c> each, the bus carried no second event for a window,
/// each alert reached the webhook once, and each rejected record is in the DLQ once.
/// </summary>
internal sealed class FaultVerdict(FaultRig rig)
{
    /// <summary>
    /// Whether the bus may carry the same window event more than once (always with the same message id): the outbox
    /// relay is at least once, so a relay whose "published" mark failed (a database outage) or a second instance's
    /// relay may publish it again; the alert recorder drops the repeat by its id. Otherwise exactly once is asserted.
    /// </summary>
    public bool BusAtLeastOnce { get; set; }

    /// <summary>More to say when the group does not become quiet (e.g. the broker's queues).</summary>
    public Func<Task<string>>? Diagnostics { get; set; }

    public async Task AssertExactAsync(MonitorHost reader, TimeSpan? within = null)
    {
        try
        {
            await WaitQuietAsync(reader, within);
        }
        catch (Xunit.Sdk.XunitException e)
        {
            await using var c = await rig.Database.OpenAsync();
            var alerts = await c.QueryAsync<(string Kind, string Feature, string MessageId)>("SELECT kind, feature, message_id FROM alerts");
            string more = Diagnostics is null ? "" : await Diagnostics();
            var stopped = rig.Running.Select(h => h.Get<Hosting.MonitorWorker>().State.Failure).Where(f => f is not null).ToList();
            if (stopped.Count > 0)
                more += $"\nA monitor's consumer is not running: {string.Join("; ", stopped)}";
            throw new Xunit.Sdk.XunitException($"{e.Message}\nAlerts recorded: {string.Join(", ", alerts.Select(a => $"{a.Kind}/{a.Feature} {a.MessageId}"))}\n{more}");
        }

        await AssertAsync();
    }

    private Snapshot? _last;

    private async Task WaitQuietAsync(MonitorHost reader, TimeSpan? within)
    {
        var stream = rig.Stream;
        Snapshot? last = null;
        bool first = true;
        await Eventually.HoldsAsync(async () =>
        {
            if (!first)
                await Task.Delay(200);
            first = false;
            try
            {
                last = await SnapshotAsync(reader);
                return last.Quiet(stream);
            }
            catch (Exception e) when (e is System.Data.Common.DbException or Confluent.Kafka.KafkaException or InvalidOperationException or TimeoutException)
            {
                // The fault may still be healing: try again at the next poll.
                last = last is null ? null : last with { Error = e.Message };
                return false;
            }
        }, "the group is quiet: windows stored with their labels, records checkpointed, events published, alerts delivered", () => last?.Describe(stream) ?? "nothing yet", within ?? FaultScale.Recovery);
        _last = last;
    }

    private async Task AssertAsync()
    {
        var stream = rig.Stream;
        var s = _last!;
        foreach (string model in stream.Models)
        {
            var rows = s.Results[model];
            for (int w = 0; w < stream.Windows; w++)
            {
                long start = stream.WindowStart(w).ToUnixTimeMilliseconds();
                var window = Assert.Single(rows, r => r.WindowStart == start);
                if (stream.PerWindow != window.Predictions)
                    Assert.Fail($"{model} window {w}: {window.Predictions} predictions counted, {stream.PerWindow} produced; {PredictionLogAudit.Describe(rig, model, w)}; late events counted in this process: {Metrics.MonitoringMetrics.LateEvents.WithLabels(model).Value}");
                Assert.True(stream.LabelledPerWindow(w) == window.Labelled, $"{model} window {w}: {window.Labelled} outcomes counted, {stream.LabelledPerWindow(w)} produced");
            }

            Assert.True(rows.Count == stream.Windows, $"{model}: {rows.Count} windows stored, {stream.Windows} expected ({string.Join(", ", rows.Select(r => DateTimeOffset.FromUnixTimeMilliseconds(r.WindowStart).ToString("HH:mm", CultureInfo.InvariantCulture)))})");
        }

        // One DriftDetected per shifted window, none for the others.
        var drift = s.Outbox.Where(r => r.MessageType == nameof(DriftDetected)).Select(r => (Row: r, Event: (DriftDetected)OutboxMessages.FromRow(r))).ToList();
        var expectedDrift = stream.Models.SelectMany(m => stream.Shifted.Select(w => (m, stream.WindowStart(w)))).Order().ToList();
        Assert.Equal(expectedDrift, drift.Select(d => (d.Event.Model, d.Event.WindowStart)).Order().ToList());

        // The bus: every DriftDetected of the outbox delivered, with the outbox's message id, no other. "Published"
        // is the broker's confirm; the delivery to a consumer follows, later after a broker restart (its endpoints
        // reconnect on their own schedule), so it is awaited — but it must come without anyone's help.
        var ids = drift.Select(d => Guid.Parse(d.Row.MessageId)).ToHashSet();
        List<Guid> missing = [];
        try
        {
            await Eventually.HoldsAsync(() =>
            {
                missing = [.. ids.Except(rig.DriftOnBus.Select(b => b.MessageId ?? Guid.Empty))];
                return missing.Count == 0;
            }, "every DriftDetected the outbox published is delivered on a bus", FaultScale.Recovery);
        }
        catch (Xunit.Sdk.XunitException)
        {
            string more = Diagnostics is null ? "" : await Diagnostics();
            Assert.Fail($"published from the outbox but never delivered on a bus: {string.Join(", ", drift.Where(d => missing.Contains(Guid.Parse(d.Row.MessageId))).Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Event.Model}@{d.Event.WindowStart:HH:mm} {d.Row.MessageId} published at {d.Row.PublishedAt}")))}; bus deliveries per instance: {string.Join(", ", rig.DriftOnBusPerInstance.Select(n => n.ToString(CultureInfo.InvariantCulture)))}\n{more}");
        }

        var onBus = rig.DriftOnBus;
        Assert.True(onBus.All(b => b.MessageId is { } id && ids.Contains(id)), $"the bus carried a DriftDetected the outbox does not hold: {string.Join(", ", onBus.Select(b => $"{b.Message.Model}@{b.Message.WindowStart:HH:mm} {b.MessageId}"))}");
        if (!BusAtLeastOnce)
            Assert.True(onBus.Count == ids.Count, $"{onBus.Count} DriftDetected deliveries on the bus for {ids.Count} events");

        // The webhook: one request per alert (a drifted feature, a data-quality problem), none twice.
        int expectedAlerts = ExpectedAlerts(s.Outbox);
        var requests = WindowAlerts(rig.Webhooks);
        var alertIds = requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("alertId").GetString()).ToList();
        Assert.True(requests.All(r => r.Accepted), "the receiver refused a request although it was told to accept all");
        if (expectedAlerts != requests.Count)
        {
            await using var c = await rig.Database.OpenAsync();
            var attempts = await c.QueryAsync<(string DeliveryId, int Attempt, long At, int? StatusCode)>("SELECT delivery_id, attempt, at, status_code FROM alert_attempts ORDER BY delivery_id, attempt");
            var alerts = await c.QueryAsync<(string Kind, string Feature, string MessageId, int Suppressed)>("SELECT kind, feature, message_id, suppressed FROM alerts");
            Assert.Fail($"{requests.Count} webhook requests for {expectedAlerts} alerts; outbox: {string.Join(", ", s.Outbox.Select(r => $"{r.MessageType} {r.MessageId}"))}; alerts: {string.Join(", ", alerts.Select(a => $"{a.Kind}/{a.Feature} {a.MessageId} suppressed={a.Suppressed}"))}; "
                + $"deliveries received: {string.Join(", ", requests.GroupBy(r => r.DeliveryId).Select(g => $"{g.Key}×{g.Count()}"))}; "
                + $"attempts recorded: {string.Join(", ", attempts.Select(a => string.Create(CultureInfo.InvariantCulture, $"{a.DeliveryId} #{a.Attempt} at {a.At} -> {a.StatusCode}")))}");
        }

        Assert.Equal(requests.Count, alertIds.Distinct().Count());

        // Each rejected record in the DLQ once (a record re-read after a crash may be dead-lettered again: same source).
        var letters = rig.ReadDeadLetters();
        Assert.All(letters, l => Assert.Equal("not_json", l.Reason));
        Assert.Equal(stream.PoisonBefore(stream.Length), letters.Select(l => l.Source).Distinct().Count());
    }

    // The webhook requests of window events (a scenario may also raise others, e.g. a promotion request).
    private static List<WebhookReceiver.Received> WindowAlerts(WebhookReceiver receiver) =>
        [.. receiver.Requests.Where(r => r.Event is nameof(DriftDetected) or nameof(DataQualityDegraded) or nameof(PerformanceDegraded))];

    // An alert per drifted feature, per data-quality problem, per degraded metric.
    private static int ExpectedAlerts(IEnumerable<OutboxRow> outbox) => outbox.Sum(r => OutboxMessages.FromRow(r) switch
    {
        DriftDetected d => d.DriftedFeatures.Count,
        DataQualityDegraded q => q.Problems.Count,
        _ => 1,
    });

    private async Task<Snapshot> SnapshotAsync(MonitorHost reader)
    {
        var store = reader.Get<MonitorStateStore>();
        await using var c = await rig.Database.OpenAsync();
        var results = new Dictionary<string, IReadOnlyList<WindowResultRow>>();
        foreach (string model in rig.Stream.Models)
            results[model] = [.. (await store.ListResultsAsync(c, model, 0, long.MaxValue)).Where(r => r.ConsumerGroup == rig.Group)];
        var offsets = (await store.LoadOffsetsAsync(c, rig.Group)).ToDictionary(o => (o.Topic, o.Partition), o => o.NextOffset);
        var outbox = (await c.QueryAsync<OutboxRow>(
            "SELECT message_id AS MessageId, consumer_group AS ConsumerGroup, message_type AS MessageType, payload AS Payload, created_at AS CreatedAt, published_at AS PublishedAt FROM monitor_outbox WHERE consumer_group = @group",
            new { group = rig.Group })).ToList();
        long undelivered = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM alert_deliveries WHERE state <> 'delivered'");
        long labelPartials = await c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM window_label_partials WHERE consumer_group = @group", new { group = rig.Group });
        return new Snapshot(results, offsets, rig.HighWatermarks(), outbox, undelivered, labelPartials, WindowAlerts(rig.Webhooks).Count, null);
    }

    private sealed record Snapshot(
        Dictionary<string, IReadOnlyList<WindowResultRow>> Results,
        Dictionary<(string Topic, int Partition), long> Offsets,
        Dictionary<(string Topic, int Partition), long> Ends,
        List<OutboxRow> Outbox,
        long Undelivered,
        long LabelPartials,
        int Webhooks,
        string? Error)
    {
        private bool WindowsDone(FaultStream stream) => stream.Models.All(m => Enumerable.Range(0, stream.Windows).All(w =>
            Results[m].FirstOrDefault(r => r.WindowStart == stream.WindowStart(w).ToUnixTimeMilliseconds()) is { } row && row.Labelled >= stream.LabelledPerWindow(w)));

        private bool CaughtUp => Ends.All(e => e.Value == 0 || Offsets.GetValueOrDefault(e.Key) >= e.Value);

        // Published is not yet consumed: every alert the outbox's events raise must have reached the webhook.
        public bool Quiet(FaultStream stream) =>
            WindowsDone(stream) && CaughtUp && Outbox.All(r => r.PublishedAt is not null) && Webhooks >= ExpectedAlerts(Outbox) && Undelivered == 0 && LabelPartials == 0;

        public string Describe(FaultStream stream)
        {
            var windows = stream.Models.SelectMany(m => Results[m].Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{m}@{DateTimeOffset.FromUnixTimeMilliseconds(r.WindowStart):HH:mm}:{r.Predictions}/{r.Labelled}")));
            var behind = Ends.Where(e => e.Value > 0 && Offsets.GetValueOrDefault(e.Key) < e.Value)
                .ToDictionary(e => e.Key, e => e.Value - Offsets.GetValueOrDefault(e.Key));
            string expected = string.Join(",", Enumerable.Range(0, stream.Windows).Select(stream.LabelledPerWindow));
            return string.Create(CultureInfo.InvariantCulture,
                $"windows (predictions/labelled) [{string.Join(" ", windows)}], expected {stream.PerWindow}/{expected}; records not checkpointed: [{FaultRig.Describe(behind)}]; ")
                + string.Create(CultureInfo.InvariantCulture, $"outbox {Outbox.Count(r => r.PublishedAt is null)} of {Outbox.Count} unpublished; {Undelivered} alert deliveries pending, {Webhooks} webhook requests for {ExpectedAlerts(Outbox)} alerts; {LabelPartials} late-label partials unfolded")
                + (Error is null ? "" : $"; last error: {Error}");
        }
    }
}
