namespace MlOps.Contracts.Metrics;

/// <summary>
/// The names of model metrics as they appear in window results, version metrics, promotion evidence, Prometheus's
/// <c>metric</c> label and auto-approve policies. Use these constants instead of string literals.
/// </summary>
public static class MetricNames
{
    public const string Accuracy = "accuracy";
    public const string Precision = "precision";
    public const string Recall = "recall";
    public const string F1 = "f1";
    public const string RocAuc = "roc_auc";
    public const string LogLoss = "log_loss";
    public const string Brier = "brier";
    public const string MacroPrecision = "macro_precision";
    public const string MacroRecall = "macro_recall";
    public const string MacroF1 = "macro_f1";
    public const string Mae = "mae";
    public const string Rmse = "rmse";
    public const string R2 = "r2";
    public const string MeanError = "mean_error";

    /// <summary>The metric the monitor and the retraining saga judge a model by, per task (binary: ROC AUC when scores exist, else F1).</summary>
    public static string Primary(Schemas.ModelTask task, bool hasScores = true) => task switch
    {
        Schemas.ModelTask.Binary => hasScores ? RocAuc : F1,
        Schemas.ModelTask.Multiclass => MacroF1,
        _ => Rmse,
    };
}
