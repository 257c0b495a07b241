using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MlOps.Cli.Csv;
using MlOps.Cli.Diagnostics;
using MlOps.Cli.Output;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Drift;

namespace MlOps.Cli.Commands;

/// <summary><c>mlops drift</c>: Evidently's data-drift check on two CSV files, with exact statistics.</summary>
internal static class DriftCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new DriftInputOptions();
        var format = OutputFormats.CreateOption();
        var command = new Command("drift", "Compare two CSV files for data drift, per column and for the dataset");
        inputs.AddTo(command);
        command.Options.Add(format);
        command.SetAction((parse, cancellationToken) => Task.FromResult(context.Run(() => Run(
            inputs.Read(parse, OutputFormats.Parse(parse.GetValue(format))),
            context,
            cancellationToken))));
        return command;
    }

    internal static int Run(DriftOptions options, CliContext context, CancellationToken cancellationToken)
    {
        PhaseTrace.Mark("drift: options parsed");
        var computed = Compute(options, context, cancellationToken);
        Write(context.Out, options, computed.ReferenceRows, computed.CurrentRows, computed.Drift);
        PhaseTrace.Mark("drift: written");
        PhaseTrace.Totals();
        return options.FailOnDrift && computed.Drift.IsDrifted ? ExitCodes.DriftDetected : ExitCodes.Ok;
    }

    /// <summary>Reads the chosen columns of both files and tests each: what <c>drift</c> prints and <c>report</c> draws.</summary>
    internal static DriftComputation Compute(DriftOptions options, CliContext context, CancellationToken cancellationToken)
    {
        DriftMethod? method = ParseMethod(options.Method);
        if (options.Threshold is { } t && !(double.IsFinite(t) && t > 0))
            throw new InputException($"--threshold must be a positive number, not {t.ToString(CultureInfo.InvariantCulture)}");
        ModelSchema? schema = options.Schema is null ? null : LoadSchema(options.Schema);
        var columns = ChooseColumns(options, schema);

        var progress = context.Progress();
        var (reference, current) = ReadBoth(options.Reference, options.Current, columns, progress, cancellationToken);

        // An inferred column is numeric only if it is numeric in both files; otherwise read its labels again.
        var relabel = reference.Columns.Zip(current.Columns)
            .Where(p => p.First.Type == ColumnType.Infer && (p.First.NotNumeric || p.Second.NotNumeric))
            .Select(p => (p.First.Name, ColumnType.Categorical))
            .ToList();
        if (relabel.Count > 0)
        {
            var (r2, c2) = ReadBoth(options.Reference, options.Current, relabel, progress, cancellationToken);
            reference = (Replace(reference.Columns, r2.Columns), reference.Rows);
            current = (Replace(current.Columns, c2.Columns), current.Rows);
        }

        progress.Done();
        PhaseTrace.Mark("drift: both files read");
        var results = Evaluate(options, method, reference.Columns, current.Columns);
        PhaseTrace.Mark("drift: every column evaluated");
        return new DriftComputation(reference.Columns, current.Columns, reference.Rows, current.Rows, DatasetDrift.From(results));
    }

    private static DriftMethod? ParseMethod(string name)
    {
        if (string.Equals(name.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            return null;
        if (DriftMethods.TryParse(name, out var method))
            return method;
        throw new InputException($"--method: unknown method '{name}' (choose auto, {string.Join(", ", DriftMethods.All.Select(DriftMethods.Name))})");
    }

    internal static ModelSchema LoadSchema(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"{path}: cannot open: {(e is FileNotFoundException ? "no such file" : e.Message)}");
        }

        if (!ModelSchema.TryParse(json, out var schema, out var errors))
            throw new InputException($"{path}: not a valid model schema: {string.Join("; ", errors)}");
        return schema;
    }

    private static List<(string Name, ColumnType Type)> ChooseColumns(DriftOptions options, ModelSchema? schema)
    {
        List<string> names;
        if (!string.IsNullOrWhiteSpace(options.Columns))
        {
            names = options.Columns.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        }
        else if (schema is not null)
        {
            names = schema.Features.Select(f => f.Name).ToList();
        }
        else
        {
            using var source = CsvSource.Open(options.Reference);
            names = [.. source.Columns];
        }

        if (names.Count == 0)
            throw new InputException("--columns: no column named");
        return names.Select(n => (n, TypeOf(n, schema))).ToList();
    }

    private static ColumnType TypeOf(string column, ModelSchema? schema)
    {
        var feature = schema?.Features.FirstOrDefault(f => f.Name == column);
        return feature?.Type switch
        {
            null => ColumnType.Infer,
            FeatureType.Numeric => ColumnType.Numeric,
            _ => ColumnType.Categorical,
        };
    }

    private static ((IReadOnlyList<ColumnSample> Columns, long Rows) Reference, (IReadOnlyList<ColumnSample> Columns, long Rows) Current) ReadBoth(
        string referencePath,
        string currentPath,
        IReadOnlyList<(string Name, ColumnType Type)> columns,
        ProgressReporter progress,
        CancellationToken cancellationToken)
    {
        // The two files are independent: read them on two cores.
        var currentTask = Task.Run(() => SampleReader.Read(currentPath, columns, progress, cancellationToken), cancellationToken);
        try
        {
            var reference = SampleReader.Read(referencePath, columns, progress, cancellationToken);
            PhaseTrace.Mark("drift: reference read");
            return (reference, currentTask.GetAwaiter().GetResult());
        }
        catch
        {
            // The reference's error is the one reported; observe the other read's, if any.
            _ = currentTask.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }

    private static ColumnSample[] Replace(IReadOnlyList<ColumnSample> columns, IReadOnlyList<ColumnSample> replacements) =>
        columns.Select(c => replacements.FirstOrDefault(r => r.Name == c.Name) ?? c).ToArray();

    private static List<FeatureDrift> Evaluate(DriftOptions options, DriftMethod? method, IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current)
    {
        for (int i = 0; i < reference.Count; i++)
        {
            var (r, c) = (reference[i], current[i]);
            if (r.Present == 0)
                throw new InputException($"{options.Reference}: column '{r.Name}' has no values");
            if (c.Present == 0)
                throw new InputException($"{options.Current}: column '{c.Name}' has no values");
            if (r.Type == ColumnType.Categorical && method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
                throw new InputException($"column '{r.Name}' is categorical, and --method {DriftMethods.Name(method.Value)} needs numbers (choose numeric columns with --columns)");
        }

        return [.. DriftEvaluation.Run(reference, current, method, options.Threshold)];
    }

    private static void Write(TextWriter output, DriftOptions options, long referenceRows, long currentRows, DatasetDrift drift)
    {
        if (options.Format == OutputFormat.Json)
        {
            var document = new DriftReportJson(
                referenceRows,
                currentRows,
                drift.Features.Select(f => new FeatureDriftJson(
                    f.Feature,
                    f.Kind == ColumnKind.Numeric ? "numeric" : "categorical",
                    DriftMethods.Name(f.Result.Method),
                    f.Result.Statistic,
                    f.Result.PValue,
                    f.Result.Threshold,
                    f.Result.Drifted)).ToList(),
                drift.DriftedShare,
                drift.IsDrifted);
            output.WriteLine(JsonSerializer.Serialize(document, DriftJsonContext.Default.DriftReportJson));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"reference: {options.Reference} ({referenceRows.ToString("N0", c)} rows)");
        output.WriteLine($"current:   {options.Current} ({currentRows.ToString("N0", c)} rows)");
        output.WriteLine();
        var table = new TextTable("feature", "type", "method", "statistic", "p-value", "threshold", "drift");
        foreach (var f in drift.Features)
        {
            table.Add(
                f.Feature,
                f.Kind == ColumnKind.Numeric ? "numeric" : "categorical",
                DriftMethods.Name(f.Result.Method),
                Format.Number(f.Result.Statistic),
                f.Result.PValue is { } p ? Format.Number(p) : "",
                Format.Number(f.Result.Threshold),
                f.Result.Drifted ? "DRIFT" : "ok");
        }

        output.Write(table.ToString());
        output.WriteLine();
        int drifted = drift.Features.Count(f => f.Result.Drifted);
        output.WriteLine($"drifted features: {drifted} of {drift.Features.Count} ({drift.DriftedShare.ToString("P1", c)}); dataset drift: {(drift.IsDrifted ? "YES" : "no")} (share >= 50 %)");
    }
}

/// <summary>
/// The options <c>drift</c> and <c>report</c> share — the files, schema, method, threshold, columns and
/// <c>--fail-on-drift</c> — declared once, so both commands take the same words with the same help and defaults.
/// </summary>
internal sealed class DriftInputOptions
{
    private readonly Option<string> _reference = new("--reference") { Description = "CSV file with a header row: the reference (training) data", Required = true };
    private readonly Option<string> _current = new("--current") { Description = "CSV file with a header row: the current (production) data", Required = true };
    private readonly Option<string?> _schema = new("--schema") { Description = "Model schema JSON giving each feature's type (numeric | categorical | boolean)" };
    private readonly Option<string> _method = new("--method")
    {
        Description = "auto (Evidently's default per column) or one of: " + string.Join(", ", DriftMethods.All.Select(DriftMethods.Name)),
        DefaultValueFactory = _ => "auto",
    };
    private readonly Option<double?> _threshold = new("--threshold") { Description = "Threshold for every column (default: 0.05 for p-value tests, 0.1 for distances)" };
    private readonly Option<string?> _columns = new("--columns") { Description = "Comma-separated columns to compare (default: every schema feature, else every reference column)" };
    private readonly Option<bool> _failOnDrift = new("--fail-on-drift") { Description = "Exit with code 1 when the dataset drifts (for pipelines)" };

    /// <summary>Adds the shared options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        foreach (Option option in (Option[])[_reference, _current, _schema, _method, _threshold, _columns, _failOnDrift])
            command.Options.Add(option);
    }

    /// <summary>The parsed values, with the command's own output format.</summary>
    public DriftOptions Read(ParseResult parse, OutputFormat format) => new(
        parse.GetRequiredValue(_reference),
        parse.GetRequiredValue(_current),
        parse.GetValue(_schema),
        parse.GetValue(_method) ?? "auto",
        parse.GetValue(_threshold),
        parse.GetValue(_columns),
        format,
        parse.GetValue(_failOnDrift));
}

internal sealed record DriftOptions(
    string Reference,
    string Current,
    string? Schema,
    string Method,
    double? Threshold,
    string? Columns,
    OutputFormat Format,
    bool FailOnDrift);

/// <summary>The columns of both files (paired by position) and their drift, in column order.</summary>
internal sealed record DriftComputation(
    IReadOnlyList<ColumnSample> Reference,
    IReadOnlyList<ColumnSample> Current,
    long ReferenceRows,
    long CurrentRows,
    DatasetDrift Drift);
