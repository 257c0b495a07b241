namespace MlOps.Statistics.Metrics;

/// <summary>
/// Streaming, mergeable regression metrics in constant memory: error sums plus the actual values' mean and
/// centred sum of squares (Welford, merged with Chan et al.'s formula), so R² needs no second pass.
/// </summary>
public sealed class RegressionMetricsAccumulator
{
    private long _count;
    private double _errorSum, _absErrorSum, _squaredErrorSum;
    private double _actualMean, _actualM2;

    /// <summary>Samples added.</summary>
    public long Count => _count;

    /// <summary>Adds one labelled prediction.</summary>
    public void Add(double actual, double predicted)
    {
        double e = predicted - actual;
        _count++;
        _errorSum += e;
        _absErrorSum += Math.Abs(e);
        _squaredErrorSum += e * e;
        double delta = actual - _actualMean;
        _actualMean += delta / _count;
        _actualM2 += delta * (actual - _actualMean);
    }

    /// <summary>Adds another accumulator's sums.</summary>
    public void Merge(RegressionMetricsAccumulator other)
    {
        if (other._count == 0)
            return;
        long n = _count + other._count;
        double delta = other._actualMean - _actualMean;
        _actualM2 += other._actualM2 + delta * delta * ((double)_count * other._count / n);
        _actualMean += delta * other._count / n;
        _count = n;
        _errorSum += other._errorSum;
        _absErrorSum += other._absErrorSum;
        _squaredErrorSum += other._squaredErrorSum;
    }

    /// <summary>The complete state, for checkpoints.</summary>
    public RegressionMetricsState ToState() => new(_count, _errorSum, _absErrorSum, _squaredErrorSum, _actualMean, _actualM2);

    /// <summary>Restores an accumulator from <see cref="ToState"/>.</summary>
    public static RegressionMetricsAccumulator FromState(RegressionMetricsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return new RegressionMetricsAccumulator
        {
            _count = state.Count,
            _errorSum = state.ErrorSum,
            _absErrorSum = state.AbsErrorSum,
            _squaredErrorSum = state.SquaredErrorSum,
            _actualMean = state.ActualMean,
            _actualM2 = state.ActualM2,
        };
    }

    /// <summary>Computes the metrics; R² follows scikit-learn when the actual values are constant (1 if perfect, else 0).</summary>
    public RegressionMetrics ToMetrics()
    {
        if (_count == 0)
            return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double r2 = _actualM2 == 0 ? (_squaredErrorSum == 0 ? 1.0 : 0.0) : 1 - _squaredErrorSum / _actualM2;
        return new RegressionMetrics(_count, _absErrorSum / _count, Math.Sqrt(_squaredErrorSum / _count), r2, _errorSum / _count);
    }

    /// <summary>Exact metrics of two whole samples (two passes), equal to scikit-learn's.</summary>
    public static RegressionMetrics Compute(ReadOnlySpan<double> actual, ReadOnlySpan<double> predicted)
    {
        if (actual.Length != predicted.Length)
            throw new ArgumentException("Every sample needs one actual and one predicted value.");
        int n = actual.Length;
        if (n == 0)
            return new RegressionMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double mean = 0, err = 0, abs = 0, sq = 0;
        for (int i = 0; i < n; i++)
        {
            double e = predicted[i] - actual[i];
            mean += actual[i];
            err += e;
            abs += Math.Abs(e);
            sq += e * e;
        }

        mean /= n;
        double total = 0;
        for (int i = 0; i < n; i++)
        {
            double d = actual[i] - mean;
            total += d * d;
        }

        double r2 = total == 0 ? (sq == 0 ? 1.0 : 0.0) : 1 - sq / total;
        return new RegressionMetrics(n, abs / n, Math.Sqrt(sq / n), r2, err / n);
    }
}
