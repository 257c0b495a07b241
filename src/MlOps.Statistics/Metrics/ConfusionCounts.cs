namespace MlOps.Statistics.Metrics;

/// <summary>A binary confusion matrix: true negatives, false positives, false negatives, true positives.</summary>
public readonly record struct ConfusionCounts(long Tn, long Fp, long Fn, long Tp)
{
    /// <summary>All predictions counted.</summary>
    public long Total => Tn + Fp + Fn + Tp;

    /// <summary>Cell-wise sum, for merging partial results.</summary>
    public static ConfusionCounts operator +(ConfusionCounts a, ConfusionCounts b) =>
        new(a.Tn + b.Tn, a.Fp + b.Fp, a.Fn + b.Fn, a.Tp + b.Tp);

    /// <summary>Accuracy (tp + tn) / n.</summary>
    public double Accuracy => Total == 0 ? double.NaN : (double)(Tp + Tn) / Total;

    /// <summary>Precision tp / (tp + fp); 0 when nothing was predicted positive, as scikit-learn's zero_division default.</summary>
    public double Precision => Tp + Fp == 0 ? 0.0 : (double)Tp / (Tp + Fp);

    /// <summary>Recall tp / (tp + fn); 0 when there are no positives.</summary>
    public double Recall => Tp + Fn == 0 ? 0.0 : (double)Tp / (Tp + Fn);

    /// <summary>F1 = 2·P·R / (P + R), 0 when both are 0 (scikit-learn 1.2's formula).</summary>
    public double F1 => FScore(Precision, Recall);

    /// <summary>The harmonic mean as scikit-learn computes it.</summary>
    public static double FScore(double precision, double recall)
    {
        double denominator = precision + recall;
        return denominator == 0 ? 0.0 : 2 * precision * recall / denominator;
    }
}
