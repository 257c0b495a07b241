namespace MlOps.Statistics.Metrics;

/// <summary>Exact binary metrics over whole samples, equal to scikit-learn's.</summary>
public static class BinaryClassification
{
    /// <summary>The clip of probabilities in log loss: float64 machine epsilon (scikit-learn 1.2's eps="auto").</summary>
    public const double LogLossEpsilon = 2.220446049250313e-16;

    /// <summary>Metrics when predictions are <c>score ≥ threshold</c>.</summary>
    public static BinaryMetrics FromScores(ReadOnlySpan<bool> actual, ReadOnlySpan<double> score, double threshold = 0.5)
    {
        RequireSameLength(actual.Length, score.Length);
        long tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            bool predicted = score[i] >= threshold;
            if (actual[i])
            {
                if (predicted) tp++;
                else fn++;
            }
            else if (predicted)
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        var confusion = new ConfusionCounts(tn, fp, fn, tp);
        return new BinaryMetrics(actual.Length, confusion, RocAuc(actual, score), LogLoss(actual, score), Brier(actual, score));
    }

    /// <summary>Metrics from predicted labels, with score-based metrics when <paramref name="score"/> is not empty.</summary>
    public static BinaryMetrics FromPredictions(ReadOnlySpan<bool> actual, ReadOnlySpan<bool> predicted, ReadOnlySpan<double> score = default)
    {
        RequireSameLength(actual.Length, predicted.Length);
        long tn = 0, fp = 0, fn = 0, tp = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            if (actual[i])
            {
                if (predicted[i]) tp++;
                else fn++;
            }
            else if (predicted[i])
            {
                fp++;
            }
            else
            {
                tn++;
            }
        }

        bool scored = !score.IsEmpty;
        if (scored)
            RequireSameLength(actual.Length, score.Length);
        return new BinaryMetrics(
            actual.Length,
            new ConfusionCounts(tn, fp, fn, tp),
            scored ? RocAuc(actual, score) : null,
            scored ? LogLoss(actual, score) : null,
            scored ? Brier(actual, score) : null);
    }

    /// <summary>
    /// Exact ROC AUC (the Mann–Whitney U with tied scores counting one half), equal to
    /// <c>sklearn.metrics.roc_auc_score</c>; null when only one class is present.
    /// </summary>
    public static double? RocAuc(ReadOnlySpan<bool> actual, ReadOnlySpan<double> score)
    {
        RequireSameLength(actual.Length, score.Length);
        int n = actual.Length;
        var order = new int[n];
        var keys = score.ToArray();
        for (int i = 0; i < n; i++)
            order[i] = i;
        Array.Sort(keys, order);

        long positives = 0;
        double positiveRankSum = 0;
        int start = 0;
        while (start < n)
        {
            int end = start;
            while (end + 1 < n && keys[end + 1] == keys[start])
                end++;
            double averageRank = (start + end) / 2.0 + 1.0;
            for (int k = start; k <= end; k++)
            {
                if (actual[order[k]])
                {
                    positives++;
                    positiveRankSum += averageRank;
                }
            }

            start = end + 1;
        }

        long negatives = n - positives;
        if (positives == 0 || negatives == 0)
            return null;
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>Mean cross-entropy with probabilities clipped to [ε, 1 − ε], as <c>sklearn.metrics.log_loss</c>.</summary>
    public static double LogLoss(ReadOnlySpan<bool> actual, ReadOnlySpan<double> score)
    {
        RequireSameLength(actual.Length, score.Length);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
            sum += LogLossTerm(actual[i], score[i]);
        return sum / actual.Length;
    }

    /// <summary>Mean squared difference between the positive-class probability and the outcome.</summary>
    public static double Brier(ReadOnlySpan<bool> actual, ReadOnlySpan<double> score)
    {
        RequireSameLength(actual.Length, score.Length);
        double sum = 0;
        for (int i = 0; i < actual.Length; i++)
        {
            double d = (actual[i] ? 1.0 : 0.0) - score[i];
            sum += d * d;
        }

        return sum / actual.Length;
    }

    /// <summary>One sample's log loss, including scikit-learn's renormalisation of [1 − p, p].</summary>
    internal static double LogLossTerm(bool actual, double score)
    {
        double p = Math.Clamp(score, LogLossEpsilon, 1 - LogLossEpsilon);
        double q = 1 - p;
        double total = p + q;
        return -Math.Log((actual ? p : q) / total);
    }

    private static void RequireSameLength(int a, int b)
    {
        if (a != b)
            throw new ArgumentException("Every sample needs one actual and one predicted value.");
    }
}
