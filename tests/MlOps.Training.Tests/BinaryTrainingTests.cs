using System.Diagnostics;
using Microsoft.ML;
using MlOps.Contracts.Metrics;
using MlOps.Contracts.Schemas;

namespace MlOps.Training.Tests;

public sealed class BinaryTrainingTests(BinaryTrainingFixture fixture) : IClassFixture<BinaryTrainingFixture>
{
    private readonly ModelSchema _schema = fixture.Schema;
    private readonly TrainingResult _result = fixture.Result;

    [Fact]
    public void A_separable_problem_scores_a_test_roc_auc_above_0_85()
    {
        Assert.True(_result.TestMetrics[MetricNames.RocAuc] > 0.85, $"roc_auc {_result.TestMetrics[MetricNames.RocAuc]}");
        Assert.Equal(
            [MetricNames.Accuracy, MetricNames.Brier, MetricNames.F1, MetricNames.LogLoss, MetricNames.Precision, MetricNames.Recall, MetricNames.RocAuc],
            _result.TestMetrics.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(new Contracts.Retraining.SplitSizes(1600, 200, 200), _result.Rows);
        Assert.Equal(3, _result.TrialsRun);
        Assert.Equal(["fastTree", "lightGbm", "sdca"], _result.Trials.Select(t => t.Trainer));
        Assert.Equal(_result.Trials.Max(t => t.CvPrimaryMetric), _result.CvMean[MetricNames.RocAuc]);
        Assert.True(_result.CvStd[MetricNames.RocAuc] is > 0 and < 0.1);
        Assert.Equal("7", _result.HyperParameters["seed"]);
        Assert.Empty(_result.Dropped);
    }

    [Fact]
    public void Evaluate_on_the_zip_over_the_test_split_equals_the_test_metrics()
    {
        var metrics = ModelScoring.Evaluate(_schema, _result.ModelZip, fixture.Data.Test);

        Assert.Equal(_result.TestMetrics.Keys.Order(), metrics.Keys.Order());
        foreach (var (name, value) in _result.TestMetrics)
            Assert.Equal(value, metrics[name], 1e-9);
    }

    [Fact]
    public void The_metrics_agree_with_a_computation_by_hand_from_a_model_scored_on_named_columns()
    {
        var ml = new MLContext(seed: 0);
        var model = ml.Model.Load(new MemoryStream(_result.ModelZip), out var inputSchema);
        Assert.Equal(["x1", "x2", "plan", "promo"], inputSchema.Select(c => c.Name));
        var test = fixture.Data.Test;
        var rows = test.Select(e => new Row
        {
            x1 = e.Features.GetValueOrDefault("x1") is double d ? (float)d : float.NaN,
            x2 = (float)(double)e.Features["x2"]!,
            plan = e.Features.GetValueOrDefault("plan") as string ?? "",
            promo = (bool)e.Features["promo"]! ? 1 : 0,
        });
        var scored = ml.Data.CreateEnumerable<Scored>(model.Transform(ml.Data.LoadFromEnumerable(rows)), reuseRowObject: false).ToList();

        bool[] actual = [.. test.Select(e => e.Actual == "yes")];
        double correct = 0, pairs = 0, wins = 0, logLoss = 0;
        for (int i = 0; i < test.Count; i++)
        {
            if (scored[i].Probability >= 0.5 == actual[i])
                correct++;
            logLoss -= Math.Log(actual[i] ? scored[i].Probability : 1 - scored[i].Probability);
            for (int j = 0; j < test.Count; j++)
            {
                if (actual[i] && !actual[j])
                {
                    pairs++;
                    wins += scored[i].Probability > scored[j].Probability ? 1 : scored[i].Probability == scored[j].Probability ? 0.5 : 0;
                }
            }
        }

        Assert.Equal(correct / test.Count, _result.TestMetrics[MetricNames.Accuracy], 1e-12);
        Assert.Equal(wins / pairs, _result.TestMetrics[MetricNames.RocAuc], 1e-12);
        Assert.Equal(logLoss / test.Count, _result.TestMetrics[MetricNames.LogLoss], 1e-6);
    }

    [Theory]
    [InlineData("fastTree")]
    [InlineData("lightGbm")]
    [InlineData("sdca")]
    public void Each_trainer_trains(string trainer)
    {
        var result = new ModelTrainer().Train(_schema, fixture.Data, Synthetic.Policy(trials: 1, folds: 2, trainers: trainer), CancellationToken.None);

        Assert.Equal(trainer, result.Trainer);
        Assert.True(result.TestMetrics[MetricNames.RocAuc] > 0.85, $"{trainer}: roc_auc {result.TestMetrics[MetricNames.RocAuc]}");
        Assert.Contains(trainer == "sdca" ? "l2Regularization" : "numberOfLeaves", result.HyperParameters.Keys);
    }

    [Fact]
    public void LightGbm_native_library_loads_on_this_machine()
    {
        var result = new ModelTrainer().Train(_schema, fixture.Data, Synthetic.Policy(trials: 1, folds: 2, trainers: "LIGHTGBM"), CancellationToken.None);

        Assert.Equal("lightGbm", result.Trainer);
    }

    [Fact]
    public void The_same_seed_gives_the_same_choice_and_test_metrics()
    {
        var policy = Synthetic.Policy(trials: 4, folds: 2, seed: 11);
        var first = new ModelTrainer().Train(_schema, fixture.Data, policy, CancellationToken.None);
        var second = new ModelTrainer().Train(_schema, fixture.Data, policy, CancellationToken.None);

        Assert.Equal(first.Trainer, second.Trainer);
        Assert.Equal(first.HyperParameters, second.HyperParameters);
        Assert.Equal(first.TestMetrics, second.TestMetrics);
        Assert.Equal(first.Trials.Select(t => t.CvPrimaryMetric), second.Trials.Select(t => t.CvPrimaryMetric));
        var other = new ModelTrainer().Train(_schema, fixture.Data, Synthetic.Policy(trials: 4, folds: 2, seed: 12), CancellationToken.None);
        Assert.NotEqual(first.Trials.Select(t => t.HyperParameters), other.Trials.Select(t => t.HyperParameters));
    }

    [Fact]
    public void The_time_budget_stops_the_search()
    {
        var watch = Stopwatch.StartNew();
        var result = new ModelTrainer().Train(_schema, fixture.Data, Synthetic.Policy(trials: 1000, folds: 2, budgetSeconds: 3), CancellationToken.None);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(15), $"took {watch.Elapsed}");
        Assert.InRange(result.TrialsRun, 1, 999);
        Assert.Equal(result.TrialsRun, result.Trials.Count);
    }

    [Fact]
    public void Garbage_bytes_or_a_model_of_another_schema_are_refused()
    {
        var garbage = Assert.Throws<TrainingException>(() => ModelScoring.Evaluate(_schema, [1, 2, 3, 4], fixture.Data.Test));
        Assert.Contains("not a loadable ML.NET model", garbage.Message, StringComparison.Ordinal);

        var other = new ModelSchema
        {
            Model = "other",
            Task = ModelTask.Binary,
            PositiveClass = "yes",
            Features = [new Contracts.Schemas.FeatureSchema { Name = "x1", Type = FeatureType.Categorical }, _schema.Features[1]],
        };
        var misfit = Assert.Throws<TrainingException>(() => ModelScoring.Evaluate(other, _result.ModelZip, fixture.Data.Test));
        Assert.Contains("column 'x1'", misfit.Message, StringComparison.Ordinal);
        Assert.Contains("'plan' is not a feature", misfit.Message, StringComparison.Ordinal);
    }

#pragma warning disable IDE1006, CA1812 // ML.NET binds these by name to the model's columns; created by reflection
    private sealed class Row
    {
        public float x1 { get; set; }

        public float x2 { get; set; }

        public string plan { get; set; } = "";

        public float promo { get; set; }
    }

    private sealed class Scored
    {
        public float Probability { get; set; }
    }
#pragma warning restore IDE1006, CA1812
}
