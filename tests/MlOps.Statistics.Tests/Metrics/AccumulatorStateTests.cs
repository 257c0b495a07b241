using MlOps.Statistics.Metrics;

namespace MlOps.Statistics.Tests.Metrics;

public class AccumulatorStateTests
{
    [Fact]
    public void Binary_state_round_trips_and_keeps_merging()
    {
        var c = ReferenceData.Case("metrics.json", "binary", 1);
        var actual = c.Doubles("actual");
        var score = c.Doubles("score");
        var whole = new BinaryMetricsAccumulator();
        var first = new BinaryMetricsAccumulator();
        var second = new BinaryMetricsAccumulator();
        for (int i = 0; i < actual.Length; i++)
        {
            whole.Add(actual[i] == 1, score[i]);
            (i % 2 == 0 ? first : second).Add(actual[i] == 1, score[i]);
        }

        var restored = BinaryMetricsAccumulator.FromState(first.ToState());
        restored.Merge(BinaryMetricsAccumulator.FromState(second.ToState()));
        Assert.Equal(whole.ToState() with { PositiveBins = [], NegativeBins = [], LogLossSum = 0, BrierSum = 0 }, restored.ToState() with { PositiveBins = [], NegativeBins = [], LogLossSum = 0, BrierSum = 0 });
        Assert.Equal(whole.ToState().PositiveBins.Select(p => (p[0], p[1])), restored.ToState().PositiveBins.Select(p => (p[0], p[1])));
        Assert.Equal(whole.RocAuc, restored.RocAuc);
        Assert.Equal(whole.ToMetrics().LogLoss!.Value, restored.ToMetrics().LogLoss!.Value, 1e-12);
    }

    [Fact]
    public void Multiclass_and_regression_states_round_trip()
    {
        var m = new MulticlassMetricsAccumulator();
        m.Add("a", "b");
        m.Add("a", "a");
        m.Add("c", "a");
        Assert.Equal(m.ToMetrics(), MulticlassMetricsAccumulator.FromState(m.ToState()).ToMetrics());

        var r = new RegressionMetricsAccumulator();
        r.Add(1, 2);
        r.Add(3, 2.5);
        r.Add(-1, 0);
        Assert.Equal(r.ToMetrics(), RegressionMetricsAccumulator.FromState(r.ToState()).ToMetrics());
    }

    [Fact]
    public void A_bin_outside_the_accumulator_is_a_format_error()
    {
        var state = new BinaryMetricsAccumulator(scoreBins: 10).ToState() with { PositiveBins = [[10, 1]] };
        Assert.Throws<FormatException>(() => BinaryMetricsAccumulator.FromState(state));
    }
}
