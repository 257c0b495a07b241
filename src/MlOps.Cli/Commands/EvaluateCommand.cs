using MlOps.Contracts.Metrics;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MlOps.Cli.Csv;
using MlOps.Cli.Output;

namespace MlOps.Cli.Commands;

/// <summary><c>mlops evaluate</c>: model metrics from a CSV of actual values, predictions and scores, equal to scikit-learn's.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--input") { Description = "CSV file with a header row", Required = true };
        var actual = new Option<string>("--actual") { Description = "Column of actual values (ground truth)", Required = true };
        var prediction = new Option<string?>("--prediction") { Description = "Column of predicted labels or values" };
        var score = new Option<string?>("--score") { Description = "Column of positive-class probabilities (binary)" };
        var task = new Option<string>("--task") { Description = "binary, multiclass or regression", Required = true };
        task.AcceptOnlyFromAmong("binary", "multiclass", "regression");
        var positiveClass = new Option<string>("--positive-class") { Description = "Label of the positive class (binary)", DefaultValueFactory = _ => "1" };
        var threshold = new Option<double>("--threshold") { Description = "Score at or above which the prediction is positive, when --prediction is absent", DefaultValueFactory = _ => 0.5 };
        var format = OutputFormats.CreateOption();

        var command = new Command("evaluate", "Compute model metrics (accuracy, F1, ROC AUC, log loss, MAE, RMSE, R², ...) from a CSV file")
        {
            input, actual, prediction, score, task, positiveClass, threshold, format,
        };
        command.SetAction((parse, cancellationToken) => Task.FromResult(context.Run(() => Run(
            new EvaluateOptions(
                parse.GetRequiredValue(input),
                parse.GetRequiredValue(actual),
                parse.GetValue(prediction),
                parse.GetValue(score),
                parse.GetRequiredValue(task),
                parse.GetValue(positiveClass) ?? "1",
                parse.GetValue(threshold),
                OutputFormats.Parse(parse.GetValue(format))),
            context,
            cancellationToken))));
        return command;
    }

    internal static int Run(EvaluateOptions options, CliContext context, CancellationToken cancellationToken)
    {
        if (options.Prediction is null && (options.Task != "binary" || options.Score is null))
            throw new InputException(options.Task == "binary"
                ? "--prediction or --score is needed (with only --score, the prediction is score >= --threshold)"
                : $"--prediction is needed for --task {options.Task}");
        if (options.Score is not null && options.Task != "binary")
            throw new InputException($"--score applies to --task binary only, not {options.Task}");
        if (!(options.Threshold is >= 0 and <= 1))
            throw new InputException($"--threshold must be within [0, 1], not {options.Threshold.ToString(CultureInfo.InvariantCulture)}");

        var progress = context.Progress();
        using var source = CsvSource.Open(options.Input);
        int actualColumn = source.Ordinal(options.Actual);
        int predictionColumn = options.Prediction is null ? -1 : source.Ordinal(options.Prediction);
        int scoreColumn = options.Score is null ? -1 : source.Ordinal(options.Score);
        var rows = new EvaluationRows(options, source, actualColumn, predictionColumn, scoreColumn);
        using (var tracking = progress.Track(source))
        {
            while (source.Read())
            {
                if ((source.Row & 0x3FFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    tracking.Report();
                }

                rows.Add();
            }
        }

        progress.Done();
        if (rows.Count == 0)
            throw new InputException($"{options.Input}: no row has both an actual value and a prediction");
        var result = rows.Compute();
        Write(context.Out, options, result);
        return ExitCodes.Ok;
    }

    private static void Write(TextWriter output, EvaluateOptions options, EvaluationJson result)
    {
        if (options.Format == OutputFormat.Json)
        {
            output.WriteLine(JsonSerializer.Serialize(result, EvaluationJsonContext.Default.EvaluationJson));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"{options.Input}: {result.Rows.ToString("N0", c)} rows evaluated ({options.Task}){(result.SkippedRows > 0 ? $", {result.SkippedRows.ToString("N0", c)} skipped for a missing value" : "")}");
        output.WriteLine();
        var table = new TextTable("metric", "value");
        void Add(string name, double? value)
        {
            if (value is { } v)
                table.Add(name, Format.Number(v));
        }

        Add(MetricNames.Accuracy, result.Accuracy);
        Add(MetricNames.Precision, result.Precision);
        Add(MetricNames.Recall, result.Recall);
        Add(MetricNames.F1, result.F1);
        Add(MetricNames.RocAuc, result.RocAuc);
        Add(MetricNames.LogLoss, result.LogLoss);
        Add(MetricNames.Brier, result.Brier);
        Add(MetricNames.MacroPrecision, result.MacroPrecision);
        Add(MetricNames.MacroRecall, result.MacroRecall);
        Add(MetricNames.MacroF1, result.MacroF1);
        Add(MetricNames.Mae, result.Mae);
        Add(MetricNames.Rmse, result.Rmse);
        Add(MetricNames.R2, result.R2);
        Add(MetricNames.MeanError, result.MeanError);
        output.Write(table.ToString());
        if (result.ConfusionMatrix is { } m)
        {
            output.WriteLine();
            output.WriteLine($"confusion matrix (positive class '{options.PositiveClass}'):");
            var confusion = new TextTable("", "predicted 0", "predicted 1");
            confusion.Add("actual 0", m.Tn.ToString(c), m.Fp.ToString(c));
            confusion.Add("actual 1", m.Fn.ToString(c), m.Tp.ToString(c));
            output.Write(confusion.ToString());
        }
    }
}

internal sealed record EvaluateOptions(
    string Input,
    string Actual,
    string? Prediction,
    string? Score,
    string Task,
    string PositiveClass,
    double Threshold,
    OutputFormat Format);
