namespace MlOps.Training;

/// <summary>One completed trial of the hyper-parameter search.</summary>
/// <param name="Trainer">The trainer (<c>fastTree</c>, <c>lightGbm</c>, <c>sdca</c>).</param>
/// <param name="HyperParameters">Its hyper-parameters as invariant-culture strings, plus <c>seed</c>.</param>
/// <param name="CvPrimaryMetric">
/// The cross-validated mean of the task's primary metric (<c>roc_auc</c>, <c>macro_f1</c> or <c>rmse</c>; see
/// <see cref="Contracts.Metrics.MetricNames.Primary"/>).
/// </param>
public sealed record TrialSummary(string Trainer, IReadOnlyDictionary<string, string> HyperParameters, double CvPrimaryMetric);
