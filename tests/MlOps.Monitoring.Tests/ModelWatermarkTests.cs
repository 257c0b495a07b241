using MlOps.Contracts.Events;
using MlOps.Contracts.Schemas;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Processing;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// Event time per model: a model's own events move its watermark on a partition, so a backfill of yesterday's
/// events into a new model is windowed by event time beside another model's live traffic, and "late" means late
/// for that model only.
/// </summary>
public sealed class ModelWatermarkTests
{
    private const string Topic = "mlops.predictions";
    private static readonly DateTimeOffset Today = TestModels.Start.AddDays(1);
    private readonly MonitoringOptions _options = new() { PendingTtl = TimeSpan.FromHours(1) };
    private readonly ModelContext _live = TestModels.Context(windowMinutes: 5, latenessMinutes: 1);
    private readonly ModelContext _backfill = Named("backfill");

    [Fact]
    public void A_backfill_of_yesterdays_events_into_a_new_model_is_windowed_by_its_own_event_time()
    {
        var p = Processor();
        var random = new Random(1);
        for (int i = 0; i < 100; i++)
            Assert.Equal(ProcessResult.Counted, p.OnPrediction(TestModels.Prediction(i, Today.AddSeconds(i), random), _live, Topic, i));

        // Yesterday's log, in order, into a model that has no newer events: nothing is late.
        for (int i = 0; i < 1200; i++)
            Assert.Equal(ProcessResult.Counted, p.OnPrediction(Backfill(1000 + i, TestModels.Start.AddSeconds(i), random), _backfill, Topic, 100 + i));

        Assert.Equal(0, p.TooLate);
        Assert.Equal(Today.AddSeconds(99).ToUnixTimeMilliseconds(), p.WatermarkOf("churn"));
        Assert.Equal(TestModels.Start.AddSeconds(1199).ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));
        Assert.Equal(Today.AddSeconds(99).ToUnixTimeMilliseconds(), p.Watermark);
        Assert.Equal([300L, 300L, 300L, 300L], p.Partials.Where(kv => kv.Key.Model == "backfill").OrderBy(kv => kv.Key.Start).Select(kv => kv.Value.Rows));

        // Late for the backfilled model means behind its own watermark: its first window is final now.
        Assert.Equal(ProcessResult.TooLate, p.OnPrediction(Backfill(9999, TestModels.Start.AddSeconds(30), random), _backfill, Topic, 2000));
        Assert.True(p.IsClosed(p.Partials.Keys.Single(k => k.Model == "backfill" && k.Start == TestModels.Start.ToUnixTimeMilliseconds()), _backfill));
    }

    [Fact]
    public void Yesterdays_pending_predictions_expire_by_their_models_watermark_not_by_todays_traffic()
    {
        var p = Processor();
        var random = new Random(2);
        p.OnPrediction(Backfill(1, TestModels.Start, random), _backfill, Topic, 0);
        p.OnPrediction(TestModels.Prediction(2, Today, random), _live, Topic, 1);

        p.CreateCheckpoint(Today);
        p.CheckpointCommitted();

        // The pending TTL is an hour: today's live prediction would have expired yesterday's one by a partition clock.
        Assert.Equal(2, p.JoinEntriesInMemory);
        Assert.Equal(ProcessResult.Joined, p.OnOutcome(new OutcomeEvent { PredictionId = "p-0000001", Model = "backfill", Timestamp = TestModels.Start.AddMinutes(2), Actual = "1" }, _backfill, "mlops.outcomes", 0));
    }

    [Fact]
    public void Once_a_model_is_idle_on_the_partition_its_watermark_follows_the_clock_and_its_windows_close()
    {
        var p = Processor();
        var random = new Random(3);
        var wall = Today;
        p.Touch(wall);
        p.OnPrediction(Backfill(1, TestModels.Start, random), _backfill, Topic, 0);
        p.AdvanceIdle(wall);
        Assert.Equal(TestModels.Start.ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));

        p.AdvanceIdle(wall + _options.IdleTimeout);

        Assert.Equal(wall.ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));
        var checkpoint = p.CreateCheckpoint(wall + _options.IdleTimeout);
        Assert.Equal(wall.ToUnixTimeMilliseconds(), Assert.Single(checkpoint.ModelWatermarks, m => m.Model == "backfill").Watermark);
        Assert.Equal(ProcessResult.TooLate, p.OnPrediction(Backfill(2, TestModels.Start.AddSeconds(5), random), _backfill, Topic, 1));
    }

    [Fact]
    public void While_the_partition_catches_up_on_a_backlog_nothing_on_it_is_idle_and_the_idle_time_starts_over()
    {
        var p = Processor();
        var random = new Random(4);
        var wall = Today;
        p.Touch(wall);
        p.OnPrediction(Backfill(1, TestModels.Start, random), _backfill, Topic, 0);
        p.AdvanceIdle(wall);

        // Longer than the idle timeout, but reading a backlog the whole time: the model's windows stay open.
        p.AdvanceIdle(wall + _options.IdleTimeout, catchingUp: true);
        p.AdvanceIdle(wall + 2 * _options.IdleTimeout, catchingUp: true);
        Assert.Equal(TestModels.Start.ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));
        Assert.Equal(ProcessResult.Counted, p.OnPrediction(Backfill(2, TestModels.Start.AddSeconds(5), random), _backfill, Topic, 1));

        // Caught up: idle a full timeout from then on, and only then.
        var caughtUp = wall + 2 * _options.IdleTimeout;
        p.AdvanceIdle(caughtUp + _options.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(TestModels.Start.AddSeconds(5).ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));
        p.AdvanceIdle(caughtUp + _options.IdleTimeout);
        Assert.Equal(caughtUp.ToUnixTimeMilliseconds(), p.WatermarkOf("backfill"));
    }

    [Fact]
    public void A_partition_that_meets_a_model_for_the_first_time_never_reopens_its_closed_windows()
    {
        var group = new GroupWatermarks();
        group.Set(new Dictionary<string, long> { ["backfill"] = TestModels.Start.AddMinutes(20).ToUnixTimeMilliseconds() });
        var p = new PartitionProcessor("g", 1, new FixedCatalog(_live, _backfill), _options, group);
        var random = new Random(4);

        Assert.Equal(ProcessResult.TooLate, p.OnPrediction(Backfill(1, TestModels.Start.AddMinutes(2), random), _backfill, Topic, 0));
        Assert.Equal(ProcessResult.Counted, p.OnPrediction(Backfill(2, TestModels.Start.AddMinutes(19), random), _backfill, Topic, 1));
        // Another model is not held to it.
        Assert.Equal(ProcessResult.Counted, p.OnPrediction(TestModels.Prediction(3, TestModels.Start, random), _live, Topic, 2));
    }

    [Fact]
    public void The_group_watermark_of_a_model_is_the_lowest_over_partitions_bounded_by_partitions_without_its_events()
    {
        PartitionWatermarkRow Partition(int p, long w) => new() { Partition = p, Watermark = w };
        ModelWatermarkRow Model(string m, int p, long w) => new() { Model = m, Partition = p, Watermark = w };

        var computed = GroupWatermarks.Compute(
            [Partition(0, 5_000), Partition(1, 9_000), Partition(2, 700)],
            [Model("live", 0, 5_000), Model("live", 1, 9_000), Model("backfill", 0, 100), Model("backfill", 1, 300)],
            partitions: 3);

        var (byModel, others) = computed!.Value;
        // Partition 2 has no events of either model: its own watermark (700) bounds both.
        Assert.Equal(700, byModel["live"]);
        Assert.Equal(100, byModel["backfill"]);
        Assert.Equal(700, others);
        Assert.Null(GroupWatermarks.Compute([Partition(0, 5_000)], [], partitions: 2));
    }

    [Fact]
    public void A_partition_that_has_not_reported_a_new_model_holds_its_windows_back_for_the_idle_timeout()
    {
        PartitionWatermarkRow Partition(int p, long w) => new() { Partition = p, Watermark = w };
        var rows = new[] { new ModelWatermarkRow { Model = "backfill", Partition = 0, Watermark = 100, FirstSeenAt = 50_000 } };

        // Partition 1 may simply not have read the model's events yet (a lagging consumer): nothing of it closes.
        var early = GroupWatermarks.Compute([Partition(0, 60_000), Partition(1, 60_000)], rows, 2, now: 60_000, grace: TimeSpan.FromSeconds(30));
        var late = GroupWatermarks.Compute([Partition(0, 90_000), Partition(1, 90_000)], rows, 2, now: 90_000, grace: TimeSpan.FromSeconds(30));

        Assert.Equal(long.MinValue, early!.Value.ByModel["backfill"]);
        Assert.Equal(100, late!.Value.ByModel["backfill"]);
    }

    private PartitionProcessor Processor() => new("g", 0, new FixedCatalog(_live, _backfill), _options);

    private static ModelContext Named(string name) => TestModels.Context(windowMinutes: 5, latenessMinutes: 1) with
    {
        Schema = new ModelSchema { Model = name, Task = TestModels.Schema.Task, PositiveClass = TestModels.Schema.PositiveClass, Features = TestModels.Schema.Features },
    };

    private static PredictionEvent Backfill(int i, DateTimeOffset at, Random random) => TestModels.Prediction(i, at, random) with { Model = "backfill" };
}
