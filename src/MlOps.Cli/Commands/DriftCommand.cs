using System.CommandLine;
using System.Globalization;
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
        var inputs = new DriftInputOptions(severalMethods: true);
        var format = OutputFormats.CreateOption();
        var command = new Command(
            "drift",
            "Compare two CSV files for data drift, per column and for the dataset. With several methods (--method ks,wasserstein) "
            + "the table has a row per feature and method and a verdict per method, and the JSON is {referenceRows, currentRows, "
            + "methods: [what each method alone prints, with \"method\" first], datasetDrift: whether any method's dataset drifts}; "
            + "--fail-on-drift then fails when any does");
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
        Write(context.Out, options, computed);
        PhaseTrace.Mark("drift: written");
        PhaseTrace.Totals();
        return options.FailOnDrift && computed.Drifts.Any(d => d.IsDrifted) ? ExitCodes.DriftDetected : ExitCodes.Ok;
    }

    /// <summary>
    /// Reads the chosen columns of both files once and tests each by every method of <c>--method</c>: what <c>drift</c>
    /// prints and <c>report</c> draws.
    /// </summary>
    internal static DriftComputation Compute(DriftOptions options, CliContext context, CancellationToken cancellationToken)
    {
        var methods = DriftMethodList.Parse(options.Method);
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
        var results = Evaluate(options, methods.Select(m => m.Method).ToArray(), reference.Columns, current.Columns);
        PhaseTrace.Mark("drift: every column evaluated");
        return new DriftComputation(
            reference.Columns,
            current.Columns,
            reference.Rows,
            current.Rows,
            methods.Select(m => m.Name).ToArray(),
            results.Select(r => DatasetDrift.From(r)).ToArray());
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

    private static FeatureDrift[][] Evaluate(DriftOptions options, IReadOnlyList<DriftMethod?> methods, IReadOnlyList<ColumnSample> reference, IReadOnlyList<ColumnSample> current)
    {
        for (int i = 0; i < reference.Count; i++)
        {
            var (r, c) = (reference[i], current[i]);
            if (r.Present == 0)
                throw new InputException($"{options.Reference}: column '{r.Name}' has no values");
            if (c.Present == 0)
                throw new InputException($"{options.Current}: column '{c.Name}' has no values");
            foreach (var method in methods)
            {
                if (r.Type == ColumnType.Categorical && method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
                    throw new InputException($"column '{r.Name}' is categorical, and --method {DriftMethods.Name(method.Value)} needs numbers (choose numeric columns with --columns)");
            }
        }

        return DriftEvaluation.Run(reference, current, methods, options.Threshold);
    }

    private static void Write(TextWriter output, DriftOptions options, DriftComputation computed)
    {
        if (options.Format == OutputFormat.Json)
        {
            if (computed.Drifts.Count == 1)
            {
                var document = Json(computed.ReferenceRows, computed.CurrentRows, computed.Drifts[0]);
                output.WriteLine(DriftJsonWriter.Write(document));
                return;
            }

            var several = new MultiMethodDriftJson(
                computed.ReferenceRows,
                computed.CurrentRows,
                computed.Methods.Select((name, m) => MethodDriftJson.From(name, Json(computed.ReferenceRows, computed.CurrentRows, computed.Drifts[m]))).ToList(),
                computed.Drifts.Any(d => d.IsDrifted));
            output.WriteLine(DriftJsonWriter.Write(several));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"reference: {options.Reference} ({computed.ReferenceRows.ToString("N0", c)} rows)");
        output.WriteLine($"current:   {options.Current} ({computed.CurrentRows.ToString("N0", c)} rows)");
        output.WriteLine();
        var table = new TextTable("feature", "type", "method", "statistic", "p-value", "threshold", "drift");
        // Several methods: a feature's rows next to each other, in the order the methods were given; auto's say so.
        for (int i = 0; i < computed.Reference.Count; i++)
        {
            for (int m = 0; m < computed.Drifts.Count; m++)
            {
                var f = computed.Drifts[m].Features[i];
                string method = DriftMethods.Name(f.Result.Method);
                table.Add(
                    f.Feature,
                    f.Kind == ColumnKind.Numeric ? "numeric" : "categorical",
                    computed.Drifts.Count > 1 && computed.Methods[m] == "auto" ? $"{method} (auto)" : method,
                    Format.Number(f.Result.Statistic),
                    f.Result.PValue is { } p ? Format.Number(p) : "",
                    Format.Number(f.Result.Threshold),
                    f.Result.Drifted ? "DRIFT" : "ok");
            }
        }

        output.Write(table.ToString());
        output.WriteLine();
        for (int m = 0; m < computed.Drifts.Count; m++)
        {
            var drift = computed.Drifts[m];
            string by = computed.Drifts.Count == 1 ? "" : $"{computed.Methods[m]}: ";
            int drifted = drift.Features.Count(f => f.Result.Drifted);
            output.WriteLine($"{by}drifted features: {drifted} of {drift.Features.Count} ({drift.DriftedShare.ToString("P1", c)}); dataset drift: {(drift.IsDrifted ? "YES" : "no")} (share >= 50 %)");
        }
    }

    private static DriftReportJson Json(long referenceRows, long currentRows, DatasetDrift drift) => new(
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
}

/// <summary>
/// The columns of both files (paired by position) and their drift by each method of <c>--method</c> (named as printed:
/// <c>auto</c>, <c>ks</c>, …), in column order.
/// </summary>
internal sealed record DriftComputation(
    IReadOnlyList<ColumnSample> Reference,
    IReadOnlyList<ColumnSample> Current,
    long ReferenceRows,
    long CurrentRows,
    IReadOnlyList<string> Methods,
    IReadOnlyList<DatasetDrift> Drifts)
{
    /// <summary>The drift by the first (for <c>report</c>, the only) method.</summary>
    public DatasetDrift Drift => Drifts[0];
}
