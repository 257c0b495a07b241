using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deploy;

/// <summary>
/// deploy/prometheus through the real promtool: the config and rules load, every rule's unit tests pass, and every
/// alert follows the mixin conventions (severity, summary, description, a runbook section, tests that fire and not).
/// </summary>
public sealed partial class PrometheusRulesTests
{
    private const string Config = "deploy/prometheus/prometheus.yml";
    private const string Rules = "deploy/prometheus/rules/mlops-alerts.yml";
    private const string RuleTests = "deploy/prometheus/tests/mlops-alerts.test.yml";
    private const string Runbooks = "docs/runbooks.md";
    private const string RunbookBase = "https://github.com/mlops-dotnet/mlops/blob/main/docs/runbooks.md#";

    [Fact]
    public async Task Promtool_accepts_the_Prometheus_config_and_the_rule_files_it_names()
    {
        string output = await DeployTools.RunAsync(DeployTools.Promtool, "check", "config", Config);
        Assert.Contains("1 rule files found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Promtool_accepts_the_alert_rules() =>
        await DeployTools.RunAsync(DeployTools.Promtool, "check", "rules", Rules);

    [Fact]
    public async Task Every_alert_rule_passes_its_promtool_unit_tests()
    {
        string output = await DeployTools.RunAsync(DeployTools.Promtool, "test", "rules", RuleTests);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Prometheus_config_scrapes_metrics_of_every_MlOps_host_and_alerts_through_Alertmanager()
    {
        var config = DeployTools.LoadYaml(Config);
        var jobs = DeployTools.Items(config, "scrape_configs").Select(job => (
            Name: DeployTools.Text(job, "job_name"),
            Path: DeployTools.Text(job, "metrics_path"),
            Targets: DeployTools.Items(job, "static_configs").SelectMany(c => DeployTools.Items(c, "targets")).Select(t => ((YamlScalarNode)t).Value!).ToArray()));
        Assert.Equal(
            [
                "mlops-monitoring:/metrics:5081", "mlops-notifications:/metrics:5084", "mlops-orchestration:/metrics:5082",
                "mlops-registry:/metrics:5080", "mlops-training:/metrics:5083",
            ],
            jobs.Select(j => $"{j.Name}:{j.Path}:{string.Join(',', j.Targets.Select(t => t[(t.LastIndexOf(':') + 1)..]))}").Order(StringComparer.Ordinal));

        var alertmanagers = DeployTools.Items(DeployTools.Map(config, "alerting")!, "alertmanagers")
            .SelectMany(a => DeployTools.Items(a, "static_configs")).SelectMany(c => DeployTools.Items(c, "targets")).Select(t => ((YamlScalarNode)t).Value);
        Assert.Equal(["alertmanager:9093"], alertmanagers);
    }

    [Fact]
    public void Every_alert_has_a_severity_a_static_summary_a_templated_description_and_a_runbook_section()
    {
        string[] sections = RunbookSections();
        var problems = new List<string>();
        var alerts = Alerts().ToList();
        Assert.NotEmpty(alerts);
        foreach (var (name, rule) in alerts)
        {
            if (!AlertName().IsMatch(name))
                problems.Add($"{name}: the name is not CamelCase with the MlOps prefix");
            var labels = DeployTools.Map(rule, "labels");
            string severity = labels is null ? "" : DeployTools.Text(labels, "severity");
            if (severity is not ("warning" or "critical"))
                problems.Add($"{name}: severity '{severity}' is neither warning nor critical");

            var annotations = DeployTools.Map(rule, "annotations");
            string summary = annotations is null ? "" : DeployTools.Text(annotations, "summary");
            string description = annotations is null ? "" : DeployTools.Text(annotations, "description");
            string runbook = annotations is null ? "" : DeployTools.Text(annotations, "runbook_url");
            if (summary.Length == 0 || summary.Contains("{{", StringComparison.Ordinal))
                problems.Add($"{name}: the summary must be a static sentence, is '{summary}'");
            if (!description.Contains("{{ $value", StringComparison.Ordinal) || !description.Contains("{{ $labels.", StringComparison.Ordinal))
                problems.Add($"{name}: the description must show {{{{ $value }}}} and a label, is '{description}'");
            if (runbook != RunbookBase + Anchor(name))
                problems.Add($"{name}: runbook_url '{runbook}' is not {RunbookBase}{Anchor(name)}");
            if (!sections.Contains(Anchor(name)))
                problems.Add($"{name}: {Runbooks} has no section '## {name}'");
        }

        foreach (var pair in alerts.GroupBy(a => a.Name).Where(g => g.Count() > 1))
        {
            var severities = pair.Select(a => DeployTools.Text(DeployTools.Map(a.Rule, "labels")!, "severity")).ToList();
            if (severities.Distinct(StringComparer.Ordinal).Count() != severities.Count)
                problems.Add($"{pair.Key}: rules of one name must differ in severity (a warning/critical pair), are {string.Join(", ", severities)}");
        }

        var names = alerts.Select(a => Anchor(a.Name)).ToHashSet(StringComparer.Ordinal);
        problems.AddRange(sections.Where(s => !names.Contains(s)).Select(s => $"{Runbooks}: section #{s} belongs to no alert"));
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_alert_has_a_promtool_case_where_it_fires_with_labels_and_annotations_and_one_where_it_does_not()
    {
        var cases = DeployTools.Items(DeployTools.LoadYaml(RuleTests), "tests")
            .SelectMany(t => DeployTools.Items(t, "alert_rule_test"))
            .Cast<YamlMappingNode>()
            .Select(c => (Alert: DeployTools.Text(c, "alertname"), Expected: DeployTools.Items(c, "exp_alerts").Cast<YamlMappingNode>().ToList()))
            .ToList();
        var problems = new List<string>();
        foreach (string name in Alerts().Select(a => a.Name).Distinct(StringComparer.Ordinal))
        {
            var mine = cases.Where(c => c.Alert == name).ToList();
            if (!mine.Any(c => c.Expected.Count == 0))
                problems.Add($"{name}: no case where it does not fire (exp_alerts: [])");
            var firing = mine.SelectMany(c => c.Expected).ToList();
            if (firing.Count == 0)
                problems.Add($"{name}: no case where it fires");
            else if (!firing.All(a => DeployTools.Map(a, "exp_labels") is not null && DeployTools.Map(a, "exp_annotations") is not null))
                problems.Add($"{name}: a firing case does not check both exp_labels and exp_annotations");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    private static IEnumerable<(string Name, YamlMappingNode Rule)> Alerts() =>
        DeployTools.Items(DeployTools.LoadYaml(Rules), "groups")
            .SelectMany(g => DeployTools.Items(g, "rules"))
            .Cast<YamlMappingNode>()
            .Where(r => r.Children.ContainsKey(new YamlScalarNode("alert")))
            .Select(r => (DeployTools.Text(r, "alert"), r));

    // GitHub's anchor of a "## Heading": lower case, punctuation dropped, spaces to hyphens.
    private static string Anchor(string heading) =>
        NotInAnchor().Replace(heading.Trim().ToLowerInvariant(), "").Replace(' ', '-');

    private static string[] RunbookSections() =>
        [.. File.ReadLines(DeployTools.PathOf(Runbooks)).Where(l => l.StartsWith("## ", StringComparison.Ordinal)).Select(l => Anchor(l[3..]))];

    [GeneratedRegex("^MlOps[A-Z][A-Za-z0-9]+$")]
    private static partial Regex AlertName();

    [GeneratedRegex(@"[^\p{L}\p{Nd} _-]")]
    private static partial Regex NotInAnchor();
}

/// <summary>The repository's deploy files and the real tools that check them (promtool, amtool).</summary>
internal static class DeployTools
{
    public const string Promtool = "promtool";
    public const string Amtool = "amtool";
    public const string Alertmanager = "prometheus-alertmanager";

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    /// <summary>The folder holding MlOps.sln, found upwards from the test assembly.</summary>
    public static string RepoRoot => RepositoryRoot.Path;

    public static string PathOf(string relative) => Path.Combine(RepoRoot, relative);

    /// <summary>Runs a tool in the repository root; a missing tool or a non-zero exit fails with the tool's output.</summary>
    public static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var (exitCode, output) = await TryRunAsync(tool, arguments);
        Assert.True(exitCode == 0, $"{tool} {string.Join(' ', arguments)} exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>Runs a tool in the repository root and returns its exit code and output (standard output first).</summary>
    public static async Task<(int ExitCode, string Output)> TryRunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(Locate(tool))
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{tool} {string.Join(' ', arguments)} did not finish within {Timeout.TotalSeconds:0} s.");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }

    public static YamlMappingNode LoadYaml(string relative)
    {
        using var reader = new StreamReader(PathOf(relative), Encoding.UTF8);
        var stream = new YamlStream();
        stream.Load(reader);
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>The mapping under <paramref name="key"/>, or null.</summary>
    public static YamlMappingNode? Map(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) ? value as YamlMappingNode : null;

    /// <summary>The items of the sequence under <paramref name="key"/> (none when it is missing).</summary>
    public static IEnumerable<YamlNode> Items(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlSequenceNode sequence
            ? sequence.Children
            : [];

    /// <summary>The scalar under <paramref name="key"/>, or "".</summary>
    public static string Text(YamlNode node, string key) =>
        ((YamlMappingNode)node).Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value ?? "" : "";

    /// <summary>The tool's path; a missing tool fails the test with how to install it, never skips it.</summary>
    public static string Locate(string tool)
    {
        foreach (string folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            string candidate = Path.Combine(folder, tool);
            if (File.Exists(candidate))
                return candidate;
        }

        string package = tool == Promtool ? "prometheus" : "prometheus-alertmanager"; // amtool is in the latter
        throw new Xunit.Sdk.XunitException(
            $"{tool} was not found on PATH. Install it with `sudo deploy/local/services.sh install` (Debian package {package}), as .ci/run does.");
    }
}
