using System.CommandLine;
using System.Globalization;
using System.Text;
using MlOps.Cli.Csv;
using MlOps.Cli.Output;
using MlOps.Reports;
using MlOps.Statistics.Drift;

namespace MlOps.Cli.Commands;

/// <summary>
/// <c>mlops report</c>: the drift of <c>mlops drift</c> (the same reading, tests and numbers) as one self-contained
/// HTML page with each feature's reference and current distribution.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var inputs = new DriftInputOptions(severalMethods: false);
        var output = new Option<string>("--output", "-o") { Description = "HTML file to write, or - for standard output", Required = true };
        var command = new Command("report", "Write an HTML drift report of two CSV files: summary, features by drift, distribution plots");
        inputs.AddTo(command);
        command.Options.Add(output);
        command.SetAction((parse, cancellationToken) => Task.FromResult(context.Run(() => Run(
            inputs.Read(parse, OutputFormat.Table),
            parse.GetRequiredValue(output),
            context,
            TimeProvider.System,
            cancellationToken))));
        return command;
    }

    internal static int Run(DriftOptions options, string output, CliContext context, TimeProvider time, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(output))
            throw new InputException("--output: name the HTML file to write, or - for standard output");
        if (DriftMethodList.Parse(options.Method).Count > 1)
            throw new InputException($"--method: a report draws one method, not '{options.Method}' (mlops drift compares several at once)");
        var computed = DriftCommand.Compute(options, context, cancellationToken);
        var report = Build(options, computed, time.GetUtcNow());
        string html = DriftReportHtml.Render(report);
        if (output == "-")
        {
            context.Out.Write(html);
        }
        else
        {
            Write(output, html);
            int drifted = computed.Drift.Features.Count(f => f.Result.Drifted);
            context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {output}: {drifted} of {computed.Drift.Features.Count} features drifted; dataset drift: {(computed.Drift.IsDrifted ? "YES" : "no")}"));
        }

        return options.FailOnDrift && computed.Drift.IsDrifted ? ExitCodes.DriftDetected : ExitCodes.Ok;
    }

    /// <summary>The report of a computed drift: the numbers of <c>drift --format json</c>, the columns' distributions.</summary>
    internal static DriftReport Build(DriftOptions options, DriftComputation computed, DateTimeOffset generatedAt)
    {
        var features = new List<FeatureReport>(computed.Drift.Features.Count);
        for (int i = 0; i < computed.Drift.Features.Count; i++)
        {
            var f = computed.Drift.Features[i];
            var (r, c) = (computed.Reference[i], computed.Current[i]);
            var distribution = r.Type == ColumnType.Categorical
                ? DistributionBuilder.FromCounts(r.Counts, c.Counts)
                : DistributionBuilder.FromSamples(r.Numbers.Segments, c.Numbers.Segments);
            features.Add(new FeatureReport(f.Feature, f.Kind == ColumnKind.Numeric ? "numeric" : "categorical")
            {
                Method = DriftMethods.Name(f.Result.Method),
                Statistic = f.Result.Statistic,
                PValue = f.Result.PValue,
                Threshold = f.Result.Threshold,
                Drifted = f.Result.Drifted,
                MissingShare = MissingShare(c),
                ReferenceMissingShare = MissingShare(r),
                Distribution = distribution,
            });
        }

        var compared = new List<ReportFact>
        {
            new("Reference", options.Reference),
            new("Current", options.Current),
            new("Method", options.Method),
        };
        if (options.Threshold is { } t)
            compared.Add(new("Threshold", t.ToString("R", CultureInfo.InvariantCulture)));
        if (options.Schema is { } schema)
            compared.Add(new("Schema", schema));
        if (!string.IsNullOrWhiteSpace(options.Columns))
            compared.Add(new("Columns", options.Columns));
        return new DriftReport
        {
            Title = $"Data drift: {Path.GetFileName(options.Reference)} → {Path.GetFileName(options.Current)}",
            Compared = compared,
            ReferenceRows = computed.ReferenceRows,
            CurrentRows = computed.CurrentRows,
            DriftedShare = computed.Drift.DriftedShare,
            DatasetDrift = computed.Drift.IsDrifted,
            ShareThreshold = 0.5,
            GeneratedAt = generatedAt,
            Features = features,
        };
    }

    private static double MissingShare(ColumnSample sample)
    {
        long rows = sample.Present + sample.Missing;
        return rows == 0 ? 0 : (double)sample.Missing / rows;
    }

    private static void Write(string path, string html)
    {
        try
        {
            File.WriteAllText(path, html, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new InputException($"{path}: cannot write: {(e is DirectoryNotFoundException ? "no such folder" : e.Message)}");
        }
    }
}
