using MlOps.Cli.Csv;
using MlOps.Cli.Output;
using MlOps.Statistics.Metrics;

namespace MlOps.Cli.Commands;

/// <summary>Collects the rows of <c>mlops evaluate</c>: labels as flags or strings, numbers for regression and scores.</summary>
internal sealed class EvaluationRows(EvaluateOptions options, CsvSource source, int actualColumn, int predictionColumn, int scoreColumn)
{
    private readonly List<bool> _actualFlags = [];
    private readonly List<bool> _predictedFlags = [];
    private readonly List<double> _scores = [];
    private readonly List<double> _actualNumbers = [];
    private readonly List<double> _predictedNumbers = [];
    private readonly MulticlassMetricsAccumulator _multiclass = new();
    private readonly bool _positiveIsNumber = CsvSource.TryParseNumber(options.PositiveClass, out _);
    private readonly double _positiveNumber = CsvSource.TryParseNumber(options.PositiveClass, out double p) ? p : double.NaN;

    public long Count { get; private set; }

    public long Skipped { get; private set; }

    public void Add()
    {
        var actual = source.Field(actualColumn);
        var predicted = predictionColumn < 0 ? default : source.Field(predictionColumn);
        var scoreField = scoreColumn < 0 ? default : source.Field(scoreColumn);
        if (CsvSource.IsMissing(actual) || (predictionColumn >= 0 && CsvSource.IsMissing(predicted)) || (scoreColumn >= 0 && CsvSource.IsMissing(scoreField)))
        {
            Skipped++;
            return;
        }

        switch (options.Task)
        {
            case "regression":
                _actualNumbers.Add(Number(actual, options.Actual));
                _predictedNumbers.Add(Number(predicted, options.Prediction!));
                break;
            case "multiclass":
                _multiclass.Add(actual.Trim().ToString(), predicted.Trim().ToString());
                break;
            default:
                _actualFlags.Add(IsPositive(actual));
                if (scoreColumn >= 0)
                {
                    double s = Number(scoreField, options.Score!);
                    if (s is < 0 or > 1)
                        throw source.Error(options.Score!, $"score {s.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a probability in [0, 1]");
                    _scores.Add(s);
                }

                if (predictionColumn >= 0)
                    _predictedFlags.Add(IsPositive(predicted));
                break;
        }

        Count++;
    }

    public EvaluationJson Compute()
    {
        switch (options.Task)
        {
            case "regression":
            {
                var m = RegressionMetricsAccumulator.Compute(_actualNumbers.ToArray(), _predictedNumbers.ToArray());
                return new EvaluationJson { Task = options.Task, Rows = Count, SkippedRows = Skipped, Mae = m.Mae, Rmse = m.Rmse, R2 = m.R2, MeanError = m.MeanError };
            }

            case "multiclass":
            {
                var m = _multiclass.ToMetrics();
                return new EvaluationJson { Task = options.Task, Rows = Count, SkippedRows = Skipped, Accuracy = m.Accuracy, MacroPrecision = m.MacroPrecision, MacroRecall = m.MacroRecall, MacroF1 = m.MacroF1 };
            }

            default:
            {
                bool[] actual = [.. _actualFlags];
                double[] scores = [.. _scores];
                var m = _predictedFlags.Count > 0
                    ? BinaryClassification.FromPredictions(actual, [.. _predictedFlags], scores)
                    : BinaryClassification.FromScores(actual, scores, options.Threshold);
                var c = m.Confusion;
                return new EvaluationJson
                {
                    Task = options.Task,
                    Rows = Count,
                    SkippedRows = Skipped,
                    Accuracy = m.Accuracy,
                    Precision = m.Precision,
                    Recall = m.Recall,
                    F1 = m.F1,
                    RocAuc = m.RocAuc,
                    LogLoss = m.LogLoss,
                    Brier = m.Brier,
                    ConfusionMatrix = new ConfusionMatrixJson(c.Tn, c.Fp, c.Fn, c.Tp),
                };
            }
        }
    }

    // "1", "1.0" and " 1 " all mean the positive class 1; text labels compare exactly.
    private bool IsPositive(ReadOnlySpan<char> label)
    {
        var trimmed = label.Trim();
        if (trimmed.SequenceEqual(options.PositiveClass))
            return true;
        return _positiveIsNumber && CsvSource.TryParseNumber(trimmed, out double v) && v == _positiveNumber;
    }

    private double Number(ReadOnlySpan<char> field, string column)
    {
        if (CsvSource.TryParseNumber(field, out double value) && double.IsFinite(value))
            return value;
        throw source.Error(column, $"'{field.ToString()}' is not a finite number");
    }
}
