namespace MlOps.Contracts.Metrics;

/// <summary>Whether a larger value of a metric is better, for comparing a challenger with a champion.</summary>
public static class MetricDirection
{
    // Losses and errors; every other metric (accuracy, F1, ROC AUC, R², user-defined scores) is higher-is-better.
    // "logloss", "mse" and the rest are names users put in version metrics of models trained elsewhere.
    private static readonly HashSet<string> LowerIsBetter = new(StringComparer.OrdinalIgnoreCase)
    {
        MetricNames.LogLoss, MetricNames.Brier, MetricNames.Mae, MetricNames.Rmse,
        "logloss", "mse", "mean_error_abs", "error_rate", "latency_ms",
    };

    /// <summary>True unless the metric is a loss or error (log loss, Brier, MAE, RMSE, …).</summary>
    public static bool HigherIsBetter(string metric) => !LowerIsBetter.Contains(metric);

    /// <summary>How much better <paramref name="challenger"/> is than <paramref name="champion"/> (positive = better).</summary>
    public static double Improvement(string metric, double challenger, double champion) =>
        HigherIsBetter(metric) ? challenger - champion : champion - challenger;
}
