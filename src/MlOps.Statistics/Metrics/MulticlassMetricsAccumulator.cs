namespace MlOps.Statistics.Metrics;

/// <summary>
/// Streaming, mergeable multiclass metrics from a sparse confusion matrix (memory grows with the number of
/// label pairs seen, never with samples). Equal to scikit-learn's accuracy and macro precision, recall and F1
/// (labels = union of actual and predicted, zero_division = 0).
/// </summary>
public sealed class MulticlassMetricsAccumulator
{
    private readonly Dictionary<(string Actual, string Predicted), long> _cells = [];

    /// <summary>Samples added.</summary>
    public long Count { get; private set; }

    /// <summary>Adds one labelled prediction.</summary>
    public void Add(string actual, string predicted)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(predicted);
        var key = (actual, predicted);
        _cells[key] = _cells.GetValueOrDefault(key) + 1;
        Count++;
    }

    /// <summary>Adds another accumulator's counts.</summary>
    public void Merge(MulticlassMetricsAccumulator other)
    {
        foreach (var (key, count) in other._cells)
            _cells[key] = _cells.GetValueOrDefault(key) + count;
        Count += other.Count;
    }

    /// <summary>The complete state, for checkpoints.</summary>
    public MulticlassMetricsState ToState() =>
        new([.. _cells.OrderBy(kv => kv.Key.Actual, StringComparer.Ordinal).ThenBy(kv => kv.Key.Predicted, StringComparer.Ordinal).Select(kv => new MulticlassCell(kv.Key.Actual, kv.Key.Predicted, kv.Value))]);

    /// <summary>Restores an accumulator from <see cref="ToState"/>.</summary>
    public static MulticlassMetricsAccumulator FromState(MulticlassMetricsState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var a = new MulticlassMetricsAccumulator();
        foreach (var cell in state.Cells)
        {
            a._cells[(cell.Actual, cell.Predicted)] = a._cells.GetValueOrDefault((cell.Actual, cell.Predicted)) + cell.Count;
            a.Count += cell.Count;
        }

        return a;
    }

    /// <summary>The confusion counts, keyed by (actual, predicted).</summary>
    public IReadOnlyDictionary<(string Actual, string Predicted), long> Cells => _cells;

    /// <summary>Computes the metrics.</summary>
    public MulticlassMetrics ToMetrics()
    {
        var labels = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (actual, predicted) in _cells.Keys)
        {
            labels.Add(actual);
            labels.Add(predicted);
        }

        var truePositives = new Dictionary<string, long>();
        var actualTotals = new Dictionary<string, long>();
        var predictedTotals = new Dictionary<string, long>();
        long correct = 0;
        foreach (var ((actual, predicted), count) in _cells)
        {
            actualTotals[actual] = actualTotals.GetValueOrDefault(actual) + count;
            predictedTotals[predicted] = predictedTotals.GetValueOrDefault(predicted) + count;
            if (actual == predicted)
            {
                truePositives[actual] = truePositives.GetValueOrDefault(actual) + count;
                correct += count;
            }
        }

        double precisionSum = 0, recallSum = 0, f1Sum = 0;
        foreach (string label in labels)
        {
            long tp = truePositives.GetValueOrDefault(label);
            long predictedTotal = predictedTotals.GetValueOrDefault(label);
            long actualTotal = actualTotals.GetValueOrDefault(label);
            double precision = predictedTotal == 0 ? 0 : (double)tp / predictedTotal;
            double recall = actualTotal == 0 ? 0 : (double)tp / actualTotal;
            precisionSum += precision;
            recallSum += recall;
            f1Sum += ConfusionCounts.FScore(precision, recall);
        }

        int k = labels.Count;
        return k == 0
            ? new MulticlassMetrics(0, double.NaN, double.NaN, double.NaN, double.NaN)
            : new MulticlassMetrics(Count, (double)correct / Count, precisionSum / k, recallSum / k, f1Sum / k);
    }
}
