namespace MlOps.Statistics.Metrics;

/// <summary>The complete state of a <see cref="BinaryMetricsAccumulator"/>, for checkpoints; score bins as sparse (bin, count) pairs.</summary>
public sealed record BinaryMetricsState(
    double Threshold,
    int ScoreBins,
    long Tn,
    long Fp,
    long Fn,
    long Tp,
    long Scored,
    double LogLossSum,
    double BrierSum,
    long[][] PositiveBins,
    long[][] NegativeBins);

/// <summary>The complete state of a <see cref="MulticlassMetricsAccumulator"/>: (actual, predicted, count) cells.</summary>
public sealed record MulticlassMetricsState(IReadOnlyList<MulticlassCell> Cells);

/// <summary>One cell of a multiclass confusion matrix.</summary>
public sealed record MulticlassCell(string Actual, string Predicted, long Count);

/// <summary>The complete state of a <see cref="RegressionMetricsAccumulator"/>.</summary>
public sealed record RegressionMetricsState(long Count, double ErrorSum, double AbsErrorSum, double SquaredErrorSum, double ActualMean, double ActualM2);
