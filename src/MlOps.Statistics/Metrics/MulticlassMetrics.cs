namespace MlOps.Statistics.Metrics;

/// <summary>Multiclass metrics: accuracy and macro averages over the union of actual and predicted labels.</summary>
public sealed record MulticlassMetrics(long Count, double Accuracy, double MacroPrecision, double MacroRecall, double MacroF1);
