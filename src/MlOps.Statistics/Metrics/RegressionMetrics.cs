namespace MlOps.Statistics.Metrics;

/// <summary>Regression metrics; <see cref="MeanError"/> is mean(predicted − actual), positive when the model over-predicts.</summary>
public sealed record RegressionMetrics(long Count, double Mae, double Rmse, double R2, double MeanError);
