using Microsoft.ML;
using Microsoft.ML.Data;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Metrics;
using MlOps.Training.Data;
using RegressionMetrics = MlOps.Statistics.Metrics.RegressionMetrics;

namespace MlOps.Training.Metrics;

/// <summary>
/// A scored view's metrics under <see cref="MetricNames"/>, computed with MlOps.Statistics exactly as the monitor maps
/// its accumulators (<c>WindowEvaluator.Performance</c>), so a model's training metrics and its live metrics compare.
/// </summary>
/// <remarks>
/// Binary metrics are computed over the whole sample with <see cref="BinaryClassification.FromScores"/> (the predicted
/// class is probability ≥ 0.5): the same values as the monitor's accumulator except ROC AUC, which is exact here (equal
/// to scikit-learn's) where the monitor's comes from score bins, within its stated error bound.
/// </remarks>
internal static class TaskMetrics
{
    public const string PredictedLabelColumn = "PredictedLabel";
    public const string ProbabilityColumn = "Probability";
    public const string ScoreColumn = "Score";

    /// <summary>The output column a task's metrics read.</summary>
    public static (string Name, DataViewType Type) OutputColumn(ModelTask task) => task switch
    {
        ModelTask.Binary => (ProbabilityColumn, NumberDataViewType.Single),
        ModelTask.Multiclass => (PredictedLabelColumn, TextDataViewType.Instance),
        _ => (ScoreColumn, NumberDataViewType.Single),
    };

    /// <summary>The metrics of <paramref name="scored"/>, whose rows are <paramref name="rows"/> of <paramref name="table"/>.</summary>
    public static Dictionary<string, double> Compute(FeatureTable table, IReadOnlyList<int> rows, IDataView scored)
    {
        var task = table.Schema.Task;
        var (name, type) = OutputColumn(task);
        var column = scored.Schema.GetColumnOrNull(name);
        if (column is not { } output || !output.Type.Equals(type))
            throw new TrainingException($"The model does not output a {type} column '{name}', which a {task.ToString().ToLowerInvariant()} model has.");
        using var cursor = scored.GetRowCursor([output]);
        int i = 0;
        switch (task)
        {
            case ModelTask.Binary:
                var actual = new bool[rows.Count];
                var probability = new double[rows.Count];
                var getProbability = cursor.GetGetter<float>(output);
                float p = 0;
                while (cursor.MoveNext())
                {
                    getProbability(ref p);
                    actual[i] = FeatureTable.IsPositive(table.Schema, table.Actuals[rows[i]]);
                    probability[i++] = p;
                }

                return Binary(BinaryClassification.FromScores(actual, probability));
            case ModelTask.Multiclass:
                var multiclass = new MulticlassMetricsAccumulator();
                var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(output);
                ReadOnlyMemory<char> label = default;
                while (cursor.MoveNext())
                {
                    getLabel(ref label);
                    multiclass.Add(table.Actuals[rows[i++]], label.ToString());
                }

                return Multiclass(multiclass.ToMetrics());
            default:
                var actualNumbers = new double[rows.Count];
                var predicted = new double[rows.Count];
                var getScore = cursor.GetGetter<float>(output);
                float s = 0;
                while (cursor.MoveNext())
                {
                    getScore(ref s);
                    actualNumbers[i] = table.ActualNumbers[rows[i]];
                    predicted[i++] = s;
                }

                return Regression(RegressionMetricsAccumulator.Compute(actualNumbers, predicted));
        }
    }

    /// <summary>The monitor's names for binary metrics; score-based ones only when defined.</summary>
    public static Dictionary<string, double> Binary(BinaryMetrics m)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [MetricNames.Accuracy] = m.Accuracy,
            [MetricNames.Precision] = m.Precision,
            [MetricNames.Recall] = m.Recall,
            [MetricNames.F1] = m.F1,
        };
        if (m.RocAuc is { } auc)
            metrics[MetricNames.RocAuc] = auc;
        if (m.LogLoss is { } logLoss)
            metrics[MetricNames.LogLoss] = logLoss;
        if (m.Brier is { } brier)
            metrics[MetricNames.Brier] = brier;
        return metrics;
    }

    /// <summary>The monitor's names for multiclass metrics.</summary>
    public static Dictionary<string, double> Multiclass(MulticlassMetrics m) => new(StringComparer.Ordinal)
    {
        [MetricNames.Accuracy] = m.Accuracy,
        [MetricNames.MacroPrecision] = m.MacroPrecision,
        [MetricNames.MacroRecall] = m.MacroRecall,
        [MetricNames.MacroF1] = m.MacroF1,
    };

    /// <summary>The monitor's names for regression metrics.</summary>
    public static Dictionary<string, double> Regression(RegressionMetrics m) => new(StringComparer.Ordinal)
    {
        [MetricNames.Mae] = m.Mae,
        [MetricNames.Rmse] = m.Rmse,
        [MetricNames.R2] = m.R2,
        [MetricNames.MeanError] = m.MeanError,
    };
}
