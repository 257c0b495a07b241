using MlOps.Contracts.Metrics;
using MlOps.Contracts.Schemas;

namespace MlOps.Training.Tests;

public sealed class MulticlassAndRegressionTests
{
    [Fact]
    public void A_three_class_model_trains_and_reports_macro_metrics()
    {
        var schema = Synthetic.Schema(ModelTask.Multiclass);
        var data = TrainingDataPreparation.Prepare(schema, Synthetic.Examples(ModelTask.Multiclass, 1500));

        var result = new ModelTrainer().Train(schema, data, Synthetic.Policy(trials: 2, folds: 3), CancellationToken.None);

        Assert.Equal(["lightGbm", "sdca"], result.Trials.Select(t => t.Trainer));
        Assert.Equal(
            [MetricNames.Accuracy, MetricNames.MacroF1, MetricNames.MacroPrecision, MetricNames.MacroRecall],
            result.TestMetrics.Keys.Order(StringComparer.Ordinal));
        Assert.True(result.TestMetrics[MetricNames.MacroF1] > 0.6, $"macro_f1 {result.TestMetrics[MetricNames.MacroF1]}");
        Assert.Equal(result.Trials.Max(t => t.CvPrimaryMetric), result.CvMean[MetricNames.MacroF1]);
        var again = ModelScoring.Evaluate(schema, result.ModelZip, data.Test);
        foreach (var (name, value) in result.TestMetrics)
            Assert.Equal(value, again[name], 1e-9);
    }

    [Fact]
    public void A_regression_model_trains_and_reports_errors_that_match_a_computation_by_hand()
    {
        var schema = Synthetic.Schema(ModelTask.Regression);
        var data = TrainingDataPreparation.Prepare(schema, Synthetic.Examples(ModelTask.Regression, 1500));

        var result = new ModelTrainer().Train(schema, data, Synthetic.Policy(trials: 3, folds: 3), CancellationToken.None);

        var actual = data.Test.Select(e => e.ActualNumber!.Value).ToArray();
        double mean = actual.Average();
        double sd = Math.Sqrt(actual.Sum(a => (a - mean) * (a - mean)) / actual.Length);
        Assert.True(result.TestMetrics[MetricNames.Rmse] < 0.5 * sd, $"rmse {result.TestMetrics[MetricNames.Rmse]}, sd {sd}");
        Assert.True(result.TestMetrics[MetricNames.R2] > 0.75, $"r2 {result.TestMetrics[MetricNames.R2]}");
        Assert.True(result.TestMetrics[MetricNames.Mae] <= result.TestMetrics[MetricNames.Rmse]);
        // RMSE: lower is better, so the chosen trial has the smallest cross-validated RMSE.
        Assert.Equal(result.Trials.Min(t => t.CvPrimaryMetric), result.CvMean[MetricNames.Rmse]);
        double r2 = 1 - result.TestMetrics[MetricNames.Rmse] * result.TestMetrics[MetricNames.Rmse] / (sd * sd);
        Assert.Equal(r2, result.TestMetrics[MetricNames.R2], 1e-9);
    }

    [Fact]
    public void Too_few_rows_a_single_class_or_an_unfit_trainer_are_refused_with_a_reason()
    {
        var schema = Synthetic.Schema(ModelTask.Binary);
        var trainer = new ModelTrainer();

        var few = TrainingDataPreparation.Prepare(schema, Synthetic.Examples(ModelTask.Binary, 19));
        Assert.Contains("at least 20", Assert.Throws<TrainingException>(() => trainer.Train(schema, few, Synthetic.Policy(), CancellationToken.None)).Message);

        var single = TrainingDataPreparation.Prepare(schema, Synthetic.Examples(ModelTask.Binary, 200).Select(e => e with { Actual = "no" }));
        Assert.Contains("only the negative class", Assert.Throws<TrainingException>(() => trainer.Train(schema, single, Synthetic.Policy(), CancellationToken.None)).Message);

        var multiclass = Synthetic.Schema(ModelTask.Multiclass);
        var data = TrainingDataPreparation.Prepare(multiclass, Synthetic.Examples(ModelTask.Multiclass, 100));
        Assert.Contains("None of the requested trainers", Assert.Throws<TrainingException>(
            () => trainer.Train(multiclass, data, Synthetic.Policy(trainers: "fastTree"), CancellationToken.None)).Message);
        Assert.Contains("Unknown trainer 'xgboost'", Assert.Throws<TrainingException>(
            () => trainer.Train(multiclass, data, Synthetic.Policy(trainers: "xgboost"), CancellationToken.None)).Message);
    }

    [Fact]
    public void A_cancelled_token_stops_training()
    {
        var schema = Synthetic.Schema(ModelTask.Binary);
        var data = TrainingDataPreparation.Prepare(schema, Synthetic.Examples(ModelTask.Binary, 200));

        Assert.ThrowsAny<OperationCanceledException>(() => new ModelTrainer().Train(schema, data, Synthetic.Policy(), new CancellationToken(canceled: true)));
    }
}
