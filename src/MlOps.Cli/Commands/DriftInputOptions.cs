using System.CommandLine;
using MlOps.Cli.Output;
using MlOps.Statistics.Drift;

namespace MlOps.Cli.Commands;

/// <summary>
/// The options <c>drift</c> and <c>report</c> share — the files, schema, method, threshold, columns and
/// <c>--fail-on-drift</c> — declared once, so both commands take the same words with the same help and defaults.
/// </summary>
internal sealed class DriftInputOptions
{
    private readonly Option<string> _reference = new("--reference") { Description = "CSV file with a header row: the reference (training) data", Required = true };
    private readonly Option<string> _current = new("--current") { Description = "CSV file with a header row: the current (production) data", Required = true };
    private readonly Option<string?> _schema = new("--schema") { Description = "Model schema JSON giving each feature's type (numeric | categorical | boolean)" };
    private readonly Option<string> _method;
    private readonly Option<double?> _threshold = new("--threshold") { Description = "Threshold for every column (default: 0.05 for p-value tests, 0.1 for distances)" };
    private readonly Option<string?> _columns = new("--columns") { Description = "Comma-separated columns to compare (default: every schema feature, else every reference column)" };
    private readonly Option<bool> _failOnDrift = new("--fail-on-drift") { Description = "Exit with code 1 when the dataset drifts (for pipelines)" };

    /// <param name="severalMethods">Whether the command takes several methods at once (<c>drift</c> does, <c>report</c> draws one).</param>
    public DriftInputOptions(bool severalMethods)
    {
        string methods = "auto (Evidently's default per column) or one of: " + string.Join(", ", DriftMethods.All.Select(DriftMethods.Name));
        _method = new("--method")
        {
            Description = severalMethods
                ? methods + "; or several, comma-separated (ks,wasserstein): the files are read and each column sorted once for all of them"
                : methods,
            DefaultValueFactory = _ => "auto",
        };
    }

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
