namespace MlOps.Statistics.Metrics;

/// <summary>
/// Streaming, mergeable binary metrics. Memory is fixed by the number of score bins. Accuracy, precision,
/// recall, F1, log loss and Brier are exact; ROC AUC comes from score bins and is off by at most
/// <see cref="RocAucErrorBound"/>, which the accumulator computes from its own bins.
/// </summary>
public sealed class BinaryMetricsAccumulator
{
    /// <summary>Default number of equal-width score bins on [0, 1].</summary>
    public const int DefaultScoreBins = 1000;

    private readonly long[] _positiveBins;
    private readonly long[] _negativeBins;
    private long _tn, _fp, _fn, _tp;
    private long _scored;
    private double _logLossSum, _brierSum;

    /// <summary>Creates an empty accumulator.</summary>
    public BinaryMetricsAccumulator(double threshold = 0.5, int scoreBins = DefaultScoreBins)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(scoreBins, 1);
        Threshold = threshold;
        _positiveBins = new long[scoreBins];
        _negativeBins = new long[scoreBins];
    }

    /// <summary>The decision threshold on scores (used when a prediction is derived from a score).</summary>
    public double Threshold { get; }

    /// <summary>Samples added.</summary>
    public long Count => _tn + _fp + _fn + _tp;

    /// <summary>Samples that carried a score.</summary>
    public long ScoredCount => _scored;

    /// <summary>The confusion matrix so far.</summary>
    public ConfusionCounts Confusion => new(_tn, _fp, _fn, _tp);

    /// <summary>Adds one labelled prediction; <paramref name="score"/> is the positive-class probability, if known.</summary>
    public void Add(bool actual, bool predicted, double? score = null)
    {
        if (actual)
        {
            if (predicted) _tp++;
            else _fn++;
        }
        else if (predicted)
        {
            _fp++;
        }
        else
        {
            _tn++;
        }

        if (score is { } s && !double.IsNaN(s))
        {
            _scored++;
            _logLossSum += BinaryClassification.LogLossTerm(actual, s);
            double d = (actual ? 1.0 : 0.0) - s;
            _brierSum += d * d;
            (actual ? _positiveBins : _negativeBins)[Bin(s)]++;
        }
    }

    /// <summary>Adds one labelled score; the prediction is score ≥ threshold.</summary>
    public void Add(bool actual, double score) => Add(actual, score >= Threshold, score);

    /// <summary>Adds another accumulator's counts (same bins) to this one.</summary>
    public void Merge(BinaryMetricsAccumulator other)
    {
        if (other._positiveBins.Length != _positiveBins.Length)
            throw new ArgumentException("Accumulators need the same score bins to merge.", nameof(other));
        _tn += other._tn;
        _fp += other._fp;
        _fn += other._fn;
        _tp += other._tp;
        _scored += other._scored;
        _logLossSum += other._logLossSum;
        _brierSum += other._brierSum;
        for (int b = 0; b < _positiveBins.Length; b++)
        {
            _positiveBins[b] += other._positiveBins[b];
            _negativeBins[b] += other._negativeBins[b];
        }
    }

    /// <summary>
    /// ROC AUC from the score bins, pairs inside one bin counting one half; null with one class or no scores.
    /// </summary>
    public double? RocAuc
    {
        get
        {
            long positives = 0, negatives = 0;
            double wins = 0;
            foreach (long c in _positiveBins)
                positives += c;
            foreach (long c in _negativeBins)
                negatives += c;
            if (positives == 0 || negatives == 0)
                return null;
            long negativesBelow = 0;
            for (int b = 0; b < _positiveBins.Length; b++)
            {
                wins += _positiveBins[b] * (negativesBelow + 0.5 * _negativeBins[b]);
                negativesBelow += _negativeBins[b];
            }

            return wins / ((double)positives * negatives);
        }
    }

    /// <summary>
    /// The largest possible |binned AUC − exact AUC|: half the share of positive–negative pairs that share a bin
    /// (those are the only pairs whose order the bins do not know).
    /// </summary>
    public double RocAucErrorBound
    {
        get
        {
            long positives = 0, negatives = 0;
            double tiedPairs = 0;
            for (int b = 0; b < _positiveBins.Length; b++)
            {
                positives += _positiveBins[b];
                negatives += _negativeBins[b];
                tiedPairs += (double)_positiveBins[b] * _negativeBins[b];
            }

            return positives == 0 || negatives == 0 ? 0 : 0.5 * tiedPairs / ((double)positives * negatives);
        }
    }

    /// <summary>Snapshot of the metrics so far.</summary>
    public BinaryMetrics ToMetrics() => new(
        Count,
        Confusion,
        RocAuc,
        _scored == 0 ? null : _logLossSum / _scored,
        _scored == 0 ? null : _brierSum / _scored);

    /// <summary>The complete state, for checkpoints.</summary>
    public BinaryMetricsState ToState() => new(
        Threshold, _positiveBins.Length, _tn, _fp, _fn, _tp, _scored, _logLossSum, _brierSum, Sparse(_positiveBins), Sparse(_negativeBins));

    /// <summary>Restores an accumulator from <see cref="ToState"/>.</summary>
    public static BinaryMetricsAccumulator FromState(BinaryMetricsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var a = new BinaryMetricsAccumulator(state.Threshold, state.ScoreBins)
        {
            _tn = state.Tn,
            _fp = state.Fp,
            _fn = state.Fn,
            _tp = state.Tp,
            _scored = state.Scored,
            _logLossSum = state.LogLossSum,
            _brierSum = state.BrierSum,
        };
        Dense(state.PositiveBins, a._positiveBins);
        Dense(state.NegativeBins, a._negativeBins);
        return a;
    }

    private static long[][] Sparse(long[] bins)
    {
        var pairs = new List<long[]>();
        for (int b = 0; b < bins.Length; b++)
        {
            if (bins[b] != 0)
                pairs.Add([b, bins[b]]);
        }

        return [.. pairs];
    }

    private static void Dense(long[][] pairs, long[] bins)
    {
        foreach (var pair in pairs)
        {
            if (pair.Length != 2 || pair[0] < 0 || pair[0] >= bins.Length)
                throw new FormatException("A score bin is [bin, count] within the accumulator's bins.");
            bins[pair[0]] = pair[1];
        }
    }

    private int Bin(double score)
    {
        int bins = _positiveBins.Length;
        int b = (int)(Math.Clamp(score, 0.0, 1.0) * bins);
        return b >= bins ? bins - 1 : b;
    }
}
