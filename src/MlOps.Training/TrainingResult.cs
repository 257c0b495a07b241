using MlOps.Contracts.Retraining;

namespace MlOps.Training;

/// <summary>The outcome of <see cref="ModelTrainer.Train"/>: the chosen model and the evidence for it.</summary>
/// <param name="ModelZip">
/// The ML.NET model (saved with its input schema: one column per feature, named as the feature), retrained on
/// train + validation with the chosen hyper-parameters.
/// </param>
/// <param name="Trainer">The chosen trainer: <c>fastTree</c>, <c>lightGbm</c> or <c>sdca</c>.</param>
/// <param name="HyperParameters">The chosen hyper-parameters as invariant-culture strings, plus <c>seed</c>.</param>
/// <param name="TestMetrics">The final model's metrics on the test split, as <see cref="ModelScoring.Evaluate"/> computes them.</param>
/// <param name="CvMean">Per metric, the mean over the cross-validation folds (train + validation) of the chosen trial.</param>
/// <param name="CvStd">Per metric, the sample standard deviation over the folds (0 with fewer than two values).</param>
/// <param name="Rows">Examples in the train, validation and test splits.</param>
/// <param name="Dropped">Examples left out before training, by reason (see <see cref="DropReasons"/>).</param>
/// <param name="TrialsRun">Trials completed within the budget.</param>
/// <param name="Trials">Every completed trial, in the order run.</param>
public sealed record TrainingResult(
    byte[] ModelZip,
    string Trainer,
    IReadOnlyDictionary<string, string> HyperParameters,
    IReadOnlyDictionary<string, double> TestMetrics,
    IReadOnlyDictionary<string, double> CvMean,
    IReadOnlyDictionary<string, double> CvStd,
    SplitSizes Rows,
    IReadOnlyDictionary<string, long> Dropped,
    int TrialsRun,
    IReadOnlyList<TrialSummary> Trials);
