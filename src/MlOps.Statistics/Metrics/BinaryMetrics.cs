namespace MlOps.Statistics.Metrics;

/// <summary>Binary classification metrics; score-based ones are null when no score was given.</summary>
public sealed record BinaryMetrics(
    long Count,
    ConfusionCounts Confusion,
    double? RocAuc,
    double? LogLoss,
    double? Brier)
{
    /// <summary>Accuracy.</summary>
    public double Accuracy => Confusion.Accuracy;

    /// <summary>Precision of the positive class.</summary>
    public double Precision => Confusion.Precision;

    /// <summary>Recall of the positive class.</summary>
    public double Recall => Confusion.Recall;

    /// <summary>F1 of the positive class.</summary>
    public double F1 => Confusion.F1;
}
