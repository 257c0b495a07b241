using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MlOps.Cli.Tests;

public sealed partial class ReportCommandTests : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string Folder => Path.GetDirectoryName(_files.Write(".keep", ""))!;

    public static TheoryData<string[]> Options => new()
    {
        { [] },
        { ["--method", "psi"] },
        { ["--method", "jensenshannon", "--threshold", "0.05"] },
        { ["--columns", "age,income,tenure_months", "--method", "ks"] },
        { ["--schema", TempFiles.Example("schema.json")] },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public async Task The_report_shows_exactly_the_numbers_that_drift_prints_as_json(string[] options)
    {
        string[] files = ["--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv")];
        var json = await CliRunner.Json(["drift", .. files, .. options, "--format", "json"]);
        string output = Path.Combine(Folder, "report.html");
        var (code, stdout, error) = await CliRunner.Run(["report", .. files, .. options, "-o", output]);
        Assert.True(code == 0, error);
        Assert.Contains($"wrote {output}", stdout, StringComparison.Ordinal);
        string html = File.ReadAllText(output);

        var plots = Plots(html);
        var features = json.GetProperty("features").EnumerateArray().ToList();
        Assert.Equal(features.Count, plots.Count);
        foreach (var f in features)
        {
            var plot = plots[f.GetProperty("name").GetString()!];
            Assert.Equal(f.GetProperty("method").GetString(), plot["data-method"]);
            Assert.Equal(Number(f.GetProperty("statistic")), double.Parse(plot["data-statistic"], CultureInfo.InvariantCulture));
            Assert.Equal(Number(f.GetProperty("threshold")), double.Parse(plot["data-threshold"], CultureInfo.InvariantCulture));
            if (f.GetProperty("pValue").ValueKind == JsonValueKind.Null)
                Assert.False(plot.ContainsKey("data-p-value"));
            else
                Assert.Equal(Number(f.GetProperty("pValue")), double.Parse(plot["data-p-value"], CultureInfo.InvariantCulture));
            Assert.Equal(f.GetProperty("drifted").GetBoolean() ? "true" : "false", plot["data-drifted"]);
            Assert.True(int.Parse(plot["bars"], CultureInfo.InvariantCulture) >= 2);
        }

        var summary = Attributes(SummaryTag().Match(html).Value);
        Assert.Equal(json.GetProperty("driftedShare").GetDouble(), double.Parse(summary["data-drifted-share"], CultureInfo.InvariantCulture));
        Assert.Equal(json.GetProperty("datasetDrift").GetBoolean() ? "true" : "false", summary["data-dataset-drift"]);
        Assert.Contains($"<span class=\"value\">{json.GetProperty("referenceRows").GetInt64():N0}</span>", html, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"value\">{json.GetProperty("currentRows").GetInt64():N0}</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_goes_to_standard_output_with_a_dash_and_fail_on_drift_exits_as_drift_does()
    {
        string[] files = ["--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv")];
        var (driftCode, _, _) = await CliRunner.Run(["drift", .. files, "--fail-on-drift"]);
        var (code, html, error) = await CliRunner.Run(["report", .. files, "--output", "-", "--fail-on-drift"]);

        Assert.Equal(driftCode, code);
        Assert.Equal("", error);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
        Assert.Equal(6, Plots(html).Count);
    }

    [Fact]
    public async Task A_missing_output_prints_the_problem_and_usage_and_exits_2()
    {
        var (code, output, error) = await CliRunner.Run("report", "--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv"));

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("--output", error, StringComparison.Ordinal);
        Assert.Contains("usage: see 'mlops report --help'", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_option_values_and_unwritable_outputs_are_one_line_errors_with_exit_2()
    {
        string[] files = ["--reference", TempFiles.Example("reference.csv"), "--current", TempFiles.Example("current.csv")];
        string unwritable = Path.Combine(Folder, "no-such-folder", "report.html");

        var method = await CliRunner.Run(["report", .. files, "-o", Path.Combine(Folder, "r.html"), "--method", "kolmogorov"]);
        var folder = await CliRunner.Run(["report", .. files, "-o", unwritable]);
        var threshold = await CliRunner.Run(["report", .. files, "-o", "-", "--threshold", "-1"]);

        Assert.Equal(2, method.ExitCode);
        Assert.StartsWith("mlops: error: --method: unknown method 'kolmogorov'", method.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Folder, "r.html")));
        Assert.Equal((2, $"mlops: error: {unwritable}: cannot write: no such folder\n"), (folder.ExitCode, folder.Error));
        Assert.Equal(2, threshold.ExitCode);
        Assert.Equal("", threshold.Out);
        Assert.StartsWith("mlops: error: --threshold must be a positive number", threshold.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hostile_column_names_and_labels_are_encoded()
    {
        string header = "\"<img src=x onerror=alert(1)>\",x";
        string reference = _files.Csv("r.csv", header, Enumerable.Range(0, 50).Select(i => new object?[] { i % 2 == 0 ? "<b>a</b>" : "b", i }));
        string current = _files.Csv("c.csv", header, Enumerable.Range(0, 50).Select(i => new object?[] { i % 3 == 0 ? "<script>x</script>" : "b", i + 10 }));

        var (code, html, error) = await CliRunner.Run("report", "--reference", reference, "--current", current, "-o", "-");

        Assert.True(code == 0, error);
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>", html, StringComparison.Ordinal);
        Assert.Contains("<img src=x onerror=alert(1)>", Plots(html).Keys);
    }

    // Every plot's data- attributes by feature, plus its number of bars.
    private static Dictionary<string, Dictionary<string, string>> Plots(string html)
    {
        var plots = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (Match svg in SvgElement().Matches(html))
        {
            var attributes = Attributes(svg.Groups[1].Value);
            attributes["bars"] = Regex.Count(svg.Value, "<rect class=\"bar ").ToString(CultureInfo.InvariantCulture);
            plots.Add(attributes["data-feature"], attributes);
        }

        return plots;
    }

    private static Dictionary<string, string> Attributes(string tag) =>
        AttributePair().Matches(tag).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value), StringComparer.Ordinal);

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.String ? double.Parse(e.GetString()!, CultureInfo.InvariantCulture) : e.GetDouble();

    [GeneratedRegex("<svg class=\"plot\"([^>]*)>.*?</svg>", RegexOptions.Singleline)]
    private static partial Regex SvgElement();

    [GeneratedRegex("<div class=\"summary\"[^>]*>")]
    private static partial Regex SummaryTag();

    [GeneratedRegex("([a-z-]+)=\"([^\"]*)\"")]
    private static partial Regex AttributePair();
}
