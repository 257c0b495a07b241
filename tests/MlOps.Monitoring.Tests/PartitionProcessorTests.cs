using MlOps.Monitoring.Processing;
using MlOps.Monitoring.Windows;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests;

public sealed class PartitionProcessorTests : IAsyncLifetime
{
    private const string Predictions = "mlops.predictions";
    private const string Outcomes = "mlops.outcomes";
    private readonly MonitoringOptions _options = new();
    private readonly MonitorStateStore _store = new();
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"mlops-monitor-{Guid.NewGuid():N}.db");
    private Database _db = null!;

    public async Task InitializeAsync()
    {
        _db = new Database(new StorageOptions { ConnectionString = $"Data Source={_file}" });
        await _db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await _db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public void Predictions_fall_into_tumbling_event_time_windows()
    {
        var model = TestModels.Context();
        var p = Processor(model);
        var random = new Random(1);
        for (int i = 0; i < 600; i++)
            Assert.Equal(ProcessResult.Counted, p.OnPrediction(TestModels.Prediction(i, TestModels.Start.AddSeconds(i), random), model, Predictions, i));
        Assert.Equal([300L, 300L], p.Partials.OrderBy(kv => kv.Key.Start).Select(kv => kv.Value.Rows));
        var first = p.Partials.Keys.Min(k => k.Start);
        Assert.Equal(TestModels.Start.ToUnixTimeMilliseconds(), first);
    }

    [Fact]
    public void A_retried_prediction_is_counted_once_and_outcomes_join_in_either_order()
    {
        var model = TestModels.Context();
        var p = Processor(model);
        var random = new Random(2);
        var e = TestModels.Prediction(1, TestModels.Start, random);
        Assert.Equal(ProcessResult.Counted, p.OnPrediction(e, model, Predictions, 0));
        Assert.Equal(ProcessResult.Duplicate, p.OnPrediction(e, model, Predictions, 1));
        Assert.Equal(ProcessResult.Joined, p.OnOutcome(TestModels.Outcome(1, TestModels.Start.AddMinutes(1), random), model, Outcomes, 0));
        Assert.Equal(ProcessResult.Duplicate, p.OnOutcome(TestModels.Outcome(1, TestModels.Start.AddMinutes(1), random), model, Outcomes, 1));

        // The outcome of prediction 2 comes first and waits for it.
        Assert.Equal(ProcessResult.Waiting, p.OnOutcome(TestModels.Outcome(2, TestModels.Start.AddMinutes(1), random), model, Outcomes, 2));
        Assert.Equal(ProcessResult.Joined, p.OnPrediction(TestModels.Prediction(2, TestModels.Start.AddSeconds(1), random), model, Predictions, 2));

        var window = Assert.Single(p.Partials).Value;
        Assert.Equal(2, window.Rows);
        Assert.Equal(2, window.Labelled);
        Assert.Equal(1, p.LastLabelDelay!.Value.TotalMinutes);
        Assert.Equal(new Dictionary<string, long> { [Predictions] = 3, [Outcomes] = 3 }, p.NextOffsets);
    }

    [Fact]
    public void Events_beyond_the_allowed_lateness_are_counted_as_too_late()
    {
        var model = TestModels.Context(windowMinutes: 5, latenessMinutes: 1);
        var p = Processor(model);
        var random = new Random(3);
        p.OnPrediction(TestModels.Prediction(1, TestModels.Start, random), model, Predictions, 0);
        // Within lateness: the first window still takes it.
        p.OnPrediction(TestModels.Prediction(2, TestModels.Start.AddMinutes(5.5), random), model, Predictions, 1);
        Assert.Equal(ProcessResult.Counted, p.OnPrediction(TestModels.Prediction(3, TestModels.Start.AddMinutes(4), random), model, Predictions, 2));
        // Event time 6 minutes: window [0, 5) + 1 minute lateness is final.
        p.OnPrediction(TestModels.Prediction(4, TestModels.Start.AddMinutes(6), random), model, Predictions, 3);
        Assert.Equal(ProcessResult.TooLate, p.OnPrediction(TestModels.Prediction(5, TestModels.Start.AddMinutes(4.5), random), model, Predictions, 4));
        Assert.Equal(1, p.TooLate);
        Assert.Equal(2, p.Partials.Single(kv => kv.Key.Start == TestModels.Start.ToUnixTimeMilliseconds()).Value.Rows);
    }

    [Theory]
    [InlineData(100)]
    [InlineData(777)]
    [InlineData(1500)]
    public async Task A_crash_after_a_checkpoint_replays_to_exactly_the_same_state(int crashAfter)
    {
        var model = TestModels.Context(TestModels.Reference());
        var events = Events(seed: 4, count: 2000);

        // The reference run: everything, no crash.
        var straight = Processor(model, stored: false);
        foreach (var (e, i) in events.Select((e, i) => (e, i)))
            Apply(straight, model, e, i);

        // The crashing run: checkpoint every 250 records; after crashAfter records the process dies.
        var crashing = Processor(model);
        for (int i = 0; i < crashAfter; i++)
        {
            Apply(crashing, model, events[i], i);
            if ((i + 1) % 250 == 0)
                await Checkpoint(crashing);
        }

        // Restart: restore from the store and read again from the stored offsets.
        var restarted = await RestartAsync(model);

        long resume = restarted.NextOffsets.GetValueOrDefault("all", 0);
        for (int i = (int)resume; i < events.Count; i++)
            Apply(restarted, model, events[i], i);

        Assert.Equal(Snapshot(straight), Snapshot(restarted));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(60)]
    [InlineData(249)]
    public async Task Records_applied_while_a_checkpoint_is_written_go_into_the_next_and_the_store_ends_as_if_written_in_turn(int appliedMeanwhile)
    {
        // A cache smaller than what changes between checkpoints: commits evict all they may while entries changed
        // since the checkpoint was taken are only in memory.
        _options.JoinCacheEntries = 100;
        var model = TestModels.Context(TestModels.Reference(), windowMinutes: 60, latenessMinutes: 60);
        var events = MixedEvents(seed: 11, count: 3_000);
        const int Every = 250;

        // In turn: each checkpoint is written before the next record.
        var inTurn = Processor(model, group: "in-turn");
        var inTurnResults = new List<ProcessResult>();
        for (int i = 0; i < events.Count; i++)
        {
            inTurnResults.Add(Apply(inTurn, model, events[i], i));
            if ((i + 1) % Every == 0)
                await Checkpoint(inTurn);
        }

        await Checkpoint(inTurn);

        // Overlapped: the checkpoint is taken, `appliedMeanwhile` more records are applied (their lookups see a store
        // without it), and only then is it written and committed.
        var overlapped = Processor(model, group: "overlapped");
        var overlappedResults = new List<ProcessResult>();
        MonitorCheckpoint? inFlight = null;
        int committedAt = -1;
        for (int i = 0; i < events.Count; i++)
        {
            overlappedResults.Add(Apply(overlapped, model, events[i], i));
            if (inFlight is not null && i == committedAt)
            {
                await Save(inFlight);
                overlapped.CheckpointCommitted();
                inFlight = null;
            }

            if ((i + 1) % Every == 0)
            {
                Assert.Null(inFlight);
                inFlight = overlapped.CreateCheckpoint(TestModels.Start);
                committedAt = i + appliedMeanwhile;
            }
        }

        if (inFlight is not null)
        {
            await Save(inFlight);
            overlapped.CheckpointCommitted();
        }

        await Checkpoint(overlapped);

        Assert.Equal(inTurnResults, overlappedResults);
        Assert.Contains(ProcessResult.Waiting, inTurnResults);
        Assert.Contains(ProcessResult.Duplicate, inTurnResults);
        Assert.Equal(Snapshot(inTurn), Snapshot(overlapped));
        var (expected, actual) = (await JoinTablesAsync("in-turn"), await JoinTablesAsync("overlapped"));
        Assert.Equal(expected.Pending, actual.Pending);
        Assert.Equal(expected.Waiting, actual.Waiting);
        Assert.Equal(expected.Examples, actual.Examples);
        Assert.True(overlapped.JoinEntriesInMemory <= 100, $"{overlapped.JoinEntriesInMemory} join entries in memory");
    }

    [Fact]
    public void A_checkpoint_is_taken_only_once_the_one_before_has_committed()
    {
        var model = TestModels.Context();
        var p = Processor(model);
        p.OnPrediction(TestModels.Prediction(1, TestModels.Start, new Random(12)), model, Predictions, 0);
        p.CreateCheckpoint(TestModels.Start);
        Assert.True(p.CheckpointInFlight);
        Assert.Equal(0, p.RecordsSinceCheckpoint);
        Assert.Throws<InvalidOperationException>(() => p.CreateCheckpoint(TestModels.Start));
        p.CheckpointCommitted();
        Assert.False(p.CheckpointInFlight);
        Assert.Throws<InvalidOperationException>(() => p.CheckpointCommitted());
    }

    // Predictions with some outcomes a few hundred records later (joined through the store once the cache has let
    // their prediction go), some outcomes before their prediction (waiting) or of none, and producer retries of both.
    private static List<object> MixedEvents(int seed, int count)
    {
        var random = new Random(seed);
        var events = new List<object>();
        for (int i = 0; i < count; i++)
        {
            if (i % 7 == 0 && i + 5 < count)
                events.Add(TestModels.Outcome(i + 5, TestModels.Start.AddSeconds(i + 35), random));
            events.Add(TestModels.Prediction(i, TestModels.Start.AddSeconds(i), random));
            if (i % 3 == 0 && i >= 400)
                events.Add(TestModels.Outcome(i - 400, TestModels.Start.AddSeconds(i), random));
            if (i % 50 == 0)
                events.Add(TestModels.Prediction(i / 2, TestModels.Start.AddSeconds(i / 2), random));
            if (i % 90 == 0 && i >= 400)
                events.Add(TestModels.Outcome(i - 400, TestModels.Start.AddSeconds(i), random));
            if (i % 97 == 0)
                events.Add(TestModels.Outcome(count + i, TestModels.Start.AddSeconds(i), random)); // never predicted: waits
        }

        return events;
    }

    // A consumer group's join tables and labelled examples, in a comparable form.
    private async Task<(List<string> Pending, List<string> Waiting, List<string> Examples)> JoinTablesAsync(string group)
    {
        await using var c = await _db.OpenAsync();
        var pending = await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT prediction_id || ':' || joined || ':' || COALESCE(features, '-') FROM pending_predictions WHERE consumer_group = @group ORDER BY prediction_id", new { group });
        var waiting = await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT prediction_id || ':' || actual FROM waiting_outcomes WHERE consumer_group = @group ORDER BY prediction_id", new { group });
        // Examples as served (one line each), whatever blocks the checkpoints put them in.
        var blocks = await Dapper.SqlMapper.QueryAsync<string>(c, "SELECT body FROM labelled_example_blocks WHERE consumer_group = @group", new { group });
        var examples = blocks.SelectMany(b => b.Split('\n')).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(examples);
        Assert.NotEmpty(waiting);
        return ([.. pending], [.. waiting], [.. examples]);
    }

    [Fact]
    public async Task An_outcome_after_more_predictions_than_the_cache_holds_joins_once_also_after_a_restart()
    {
        _options.JoinCacheEntries = 1_000;
        var model = TestModels.Context(windowMinutes: 60, latenessMinutes: 60);
        var random = new Random(8);
        var p = Processor(model);
        for (int i = 0; i < 5_000; i++)
        {
            p.OnPrediction(TestModels.Prediction(i, TestModels.Start.AddSeconds(i / 10.0), random), model, Predictions, i);
            if ((i + 1) % 500 == 0)
                await Checkpoint(p);
        }

        Assert.True(p.JoinEntriesInMemory <= 1_000, $"{p.JoinEntriesInMemory} join entries in memory");
        // Prediction 0 left memory long ago: its outcome is joined through the store, once; so is a retried prediction.
        Assert.Equal(ProcessResult.Joined, p.OnOutcome(TestModels.Outcome(0, TestModels.Start.AddDays(2), random), model, Outcomes, 0));
        Assert.Equal(ProcessResult.Duplicate, p.OnOutcome(TestModels.Outcome(0, TestModels.Start.AddDays(2), random), model, Outcomes, 1));
        Assert.Equal(ProcessResult.Duplicate, p.OnPrediction(TestModels.Prediction(1, TestModels.Start, random), model, Predictions, 5_000));
        await Checkpoint(p);

        var restarted = await RestartAsync(model);
        Assert.Equal(0, restarted.JoinEntriesInMemory);
        restarted.Prefetch(["p-0000000", "p-0000002"]);
        Assert.Equal(ProcessResult.Duplicate, restarted.OnOutcome(TestModels.Outcome(0, TestModels.Start.AddDays(3), random), model, Outcomes, 2));
        Assert.Equal(ProcessResult.Joined, restarted.OnOutcome(TestModels.Outcome(2, TestModels.Start.AddDays(3), random), model, Outcomes, 3));
        Assert.Equal(ProcessResult.Duplicate, restarted.OnOutcome(TestModels.Outcome(2, TestModels.Start.AddDays(3), random), model, Outcomes, 4));
        await Checkpoint(restarted);

        var labelled = Assert.Single(restarted.Partials).Value.Labelled;
        Assert.Equal(2, labelled);
    }

    [Fact]
    public async Task Pending_predictions_past_the_ttl_are_deleted_from_the_store_by_event_time()
    {
        _options.PendingTtl = TimeSpan.FromHours(1);
        var model = TestModels.Context(windowMinutes: 5, latenessMinutes: 1);
        var random = new Random(9);
        var p = Processor(model);
        for (int i = 0; i < 100; i++)
            p.OnPrediction(TestModels.Prediction(i, TestModels.Start.AddSeconds(i), random), model, Predictions, i);
        await Checkpoint(p);
        p.OnPrediction(TestModels.Prediction(100, TestModels.Start.AddHours(2), random), model, Predictions, 100);

        Assert.Equal(100, await Checkpoint(p));
        await using var c = await _db.OpenAsync();
        Assert.Empty(_store.Join.Find(c, "g", 0, ["p-0000000", "p-0000099"]).Pending);
        Assert.Single(_store.Join.Find(c, "g", 0, ["p-0000100"]).Pending);
        Assert.Equal(ProcessResult.Waiting, p.OnOutcome(TestModels.Outcome(5, TestModels.Start.AddHours(2), random), model, Outcomes, 0));
    }

    private async Task<PartitionProcessor> RestartAsync(Catalog.ModelContext model)
    {
        var restarted = Processor(model);
        await using var c = await _db.OpenAsync();
        var (watermark, sequence) = await _store.LoadWatermarkAsync(c, "g", 0);
        restarted.Restore(
            await _store.LoadPartialsAsync(c, "g", 0),
            watermark,
            await _store.LoadOffsetsAsync(c, "g"),
            await _store.LoadModelWatermarksAsync(c, "g", 0),
            sequence);
        return restarted;
    }

    private static List<object> Events(int seed, int count)
    {
        var random = new Random(seed);
        var events = new List<object>();
        for (int i = 0; i < count; i++)
        {
            events.Add(TestModels.Prediction(i, TestModels.Start.AddSeconds(i), random));
            if (i % 3 == 0)
                events.Add(TestModels.Outcome(i, TestModels.Start.AddSeconds(i + 30), random));
            if (i % 50 == 0)
                events.Add(TestModels.Prediction(i, TestModels.Start.AddSeconds(i), random)); // a producer retry
        }

        return events;
    }

    [Fact]
    public void A_join_log_of_the_previous_version_converts_to_the_rows_it_held_at_its_end()
    {
        static PendingEntry Entry(string id, bool joined) => new(id, "churn", "1", 0, 300_000, "1", null, 0.7, 10, joined);
        static JoinLogRow Log(long sequence, params JoinChange[] changes) =>
            new() { ConsumerGroup = "g", Partition = 4, Sequence = sequence, Payload = System.Text.Json.JsonSerializer.Serialize(changes.ToList(), JoinJsonContext.Default.ListJoinChange) };

        var converted = PartitionProcessor.ConvertJoinLog("g", 4,
        [
            Log(2, new JoinChange(JoinChange.AddPrediction, Entry("a", joined: true), null, null), new JoinChange(JoinChange.RemoveOutcome, null, null, "b"),
                new JoinChange(JoinChange.AddPrediction, Entry("c", false), null, null), new JoinChange(JoinChange.RemovePrediction, null, null, "c")),
            Log(1, new JoinChange(JoinChange.AddPrediction, Entry("a", joined: false), null, null), new JoinChange(JoinChange.AddOutcome, null, new WaitingOutcome("b", "churn", "0", null, 20), null),
                new JoinChange(JoinChange.AddOutcome, null, new WaitingOutcome("d", "churn", "1", null, 30), null)),
        ]);

        var a = Assert.Single(converted.PendingUpserts);
        Assert.Equal(("a", 1L, 4, "churn", 300_000L), (a.PredictionId, a.Joined, a.Partition, a.Model, a.WindowEnd));
        Assert.Equal(["d"], converted.WaitingUpserts.Select(w => w.PredictionId));
    }

    private static ProcessResult Apply(PartitionProcessor p, Catalog.ModelContext model, object e, int offset) => e switch
    {
        // One logical "topic" keeps offsets simple: the order of events is what matters for replay.
        Contracts.Events.PredictionEvent prediction => p.OnPrediction(prediction, model, "all", offset),
        Contracts.Events.OutcomeEvent outcome => p.OnOutcome(outcome, model, "all", offset),
        _ => throw new ArgumentException($"not an event: {e}", nameof(e)),
    };

    private async Task<int> Checkpoint(PartitionProcessor p)
    {
        var checkpoint = p.CreateCheckpoint(TestModels.Start);
        int expired = await Save(checkpoint);
        p.CheckpointCommitted(expired);
        return expired;
    }

    private Task<int> Save(MonitorCheckpoint checkpoint) => _db.InTransactionAsync((c, tx) => _store.SaveCheckpointAsync(c, tx, checkpoint));

    private static List<(long Start, long Rows, long Labelled, string Payload)> Snapshot(PartitionProcessor p) =>
        [.. p.Partials.OrderBy(kv => kv.Key.Start).Select(kv => (kv.Key.Start, kv.Value.Rows, kv.Value.Labelled, Normalize(WindowPartialSerializer.Serialize(kv.Value))))];

    // Moments are sums whose rounding depends on grouping; everything else must match to the bit.
    private static string Normalize(string payload) => System.Text.RegularExpressions.Regex.Replace(payload, "\\\\\"(mean|m2|sumAbs|logLossSum|brierSum|errorSum|absErrorSum|squaredErrorSum|actualMean|actualM2)\\\\\":[-0-9.eE+]+", "$1");

    private PartitionProcessor Processor(Catalog.ModelContext model, bool stored = true, string group = "g") =>
        new(group, 0, new FixedCatalog(model), _options, store: stored ? new StoredJoinState(_db, _store.Join, group) : null);
}
