using MlOps.Statistics.Metrics;

namespace MlOps.Statistics.Tests.Metrics;

public class MetricsReferenceTests
{
    public static TheoryData<int> Binary => ReferenceData.Indices("metrics.json", "binary");

    public static TheoryData<int> Multiclass => ReferenceData.Indices("metrics.json", "multiclass");

    public static TheoryData<int> Regression => ReferenceData.Indices("metrics.json", "regression");

    [Theory]
    [MemberData(nameof(Binary))]
    public void Binary_metrics_equal_scikit_learn(int index)
    {
        var c = ReferenceData.Case("metrics.json", "binary", index);
        var (actual, score) = BinaryCase(c);
        var m = BinaryClassification.FromScores(actual, score, c.Double("threshold"));
        AssertBinary(c, m, index, aucBound: 0);
    }

    [Theory]
    [MemberData(nameof(Binary))]
    public void Streaming_binary_metrics_are_exact_except_auc_which_stays_within_its_bound(int index)
    {
        var c = ReferenceData.Case("metrics.json", "binary", index);
        var (actual, score) = BinaryCase(c);
        // Three partial accumulators merged, as partitions would be.
        var parts = Enumerable.Range(0, 3).Select(_ => new BinaryMetricsAccumulator(c.Double("threshold"))).ToArray();
        for (int i = 0; i < actual.Length; i++)
            parts[i % 3].Add(actual[i], score[i]);
        parts[0].Merge(parts[1]);
        parts[0].Merge(parts[2]);
        double bound = parts[0].RocAucErrorBound;
        Assert.True(bound < 0.01, $"AUC bound {bound} should be small with 1000 bins");
        AssertBinary(c, parts[0].ToMetrics(), index, bound);
    }

    [Theory]
    [MemberData(nameof(Multiclass))]
    public void Multiclass_macro_metrics_equal_scikit_learn(int index)
    {
        var c = ReferenceData.Case("metrics.json", "multiclass", index);
        var actual = c.Strings("actual");
        var predicted = c.Strings("predicted");
        var acc = new MulticlassMetricsAccumulator();
        for (int i = 0; i < actual.Length; i++)
            acc.Add(actual[i], predicted[i]);
        var m = acc.ToMetrics();
        Precision.Close(c.Double("accuracy"), m.Accuracy, "accuracy");
        Precision.Close(c.Double("macro_precision"), m.MacroPrecision, "macro precision");
        Precision.Close(c.Double("macro_recall"), m.MacroRecall, "macro recall");
        Precision.Close(c.Double("macro_f1"), m.MacroF1, "macro F1");
    }

    [Theory]
    [MemberData(nameof(Regression))]
    public void Regression_metrics_equal_scikit_learn_in_batch_and_streaming(int index)
    {
        var c = ReferenceData.Case("metrics.json", "regression", index);
        var actual = c.Doubles("actual");
        var predicted = c.Doubles("predicted");
        var batch = RegressionMetricsAccumulator.Compute(actual, predicted);
        var a = new RegressionMetricsAccumulator();
        var b = new RegressionMetricsAccumulator();
        for (int i = 0; i < actual.Length; i++)
            (i < actual.Length / 3 ? a : b).Add(actual[i], predicted[i]);
        a.Merge(b);
        foreach (var (m, how) in new[] { (batch, "batch"), (a.ToMetrics(), "streaming") })
        {
            Precision.Close(c.Double("mae"), m.Mae, $"{how} MAE");
            Precision.Close(c.Double("rmse"), m.Rmse, $"{how} RMSE");
            Precision.Close(c.Double("r2"), m.R2, $"{how} R²");
            Precision.Close(c.Double("mean_error"), m.MeanError, $"{how} mean error");
        }
    }

    [Fact]
    public void Precision_is_zero_when_nothing_is_predicted_positive()
    {
        var m = BinaryClassification.FromPredictions([true, false], [false, false]);
        Assert.Equal(0, m.Precision);
        Assert.Equal(0, m.F1);
        Assert.Null(m.RocAuc);
    }

    [Fact]
    public void Auc_counts_tied_scores_as_half()
    {
        // sklearn.metrics.roc_auc_score([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]) == 0.875
        Assert.Equal(0.875, BinaryClassification.RocAuc([false, true, false, true], [0.5, 0.5, 0.2, 0.9]));
    }

    private static (bool[] Actual, double[] Score) BinaryCase(System.Text.Json.JsonElement c) =>
        (c.Doubles("actual").Select(a => a == 1).ToArray(), c.Doubles("score"));

    private static void AssertBinary(System.Text.Json.JsonElement c, BinaryMetrics m, int index, double aucBound)
    {
        var cm = c.Longs("confusion_matrix_tn_fp_fn_tp");
        Assert.Equal(new ConfusionCounts(cm[0], cm[1], cm[2], cm[3]), m.Confusion);
        Precision.Close(c.Double("accuracy"), m.Accuracy, $"case {index} accuracy");
        Precision.Close(c.Double("precision"), m.Precision, $"case {index} precision");
        Precision.Close(c.Double("recall"), m.Recall, $"case {index} recall");
        Precision.Close(c.Double("f1"), m.F1, $"case {index} F1");
        Precision.Close(c.Double("log_loss"), m.LogLoss!.Value, $"case {index} log loss");
        Precision.Close(c.Double("brier"), m.Brier!.Value, $"case {index} Brier");
        if (aucBound == 0)
            Precision.Close(c.Double("roc_auc"), m.RocAuc!.Value, $"case {index} ROC AUC");
        else
            Precision.Within(c.Double("roc_auc"), m.RocAuc!.Value, aucBound, $"case {index} binned ROC AUC");
    }
}
