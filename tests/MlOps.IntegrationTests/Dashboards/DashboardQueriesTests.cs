using System.Diagnostics;
using System.Text.RegularExpressions;
using MlOps.IntegrationTests.Platform;
using Xunit.Abstractions;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Every panel's PromQL returns data: the embedded platform (all services, in-process Kafka, SQLite) gets traffic that
/// exercises each panel (<see cref="DashboardTraffic"/>), a real Prometheus scrapes its /metrics every second, and each
/// target's expression — with Grafana's variables replaced as Grafana would — must answer with a non-empty result;
/// each query variable must offer the values the traffic made.
/// </summary>
[Collection(DistributedHostsCollection.Name)]
public sealed partial class DashboardQueriesTests(ITestOutputHelper output)
{
    private const string Job = "mlops";
    private const string Model = "dash-churn";

    [Fact]
    public async Task Every_panel_query_returns_data_from_Prometheus_scraping_a_live_platform()
    {
        var clock = Stopwatch.StartNew();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(1);
        await using var platform = await TestPlatform.StartAsync(new Dictionary<string, string?>
        {
            ["MlOps:Monitoring:CloseInterval"] = "00:00:00.200",
            ["MlOps:Monitoring:CheckpointInterval"] = "00:00:00.200",
            ["MlOps:Monitoring:OutboxInterval"] = "00:00:00.200",
            ["MlOps:Alerts:Webhooks:0:Url"] = receiver.Url,
            ["MlOps:Alerts:Webhooks:0:Secret"] = "dashboards-test-webhook-secret",
            ["MlOps:Alerts:RetryBaseDelay"] = "00:00:00.200",
            ["MlOps:Alerts:DispatchInterval"] = "00:00:00.200",
        });
        await Health.WaitReadyAsync(platform.BaseUrl, "the embedded platform");
        await using var prometheus = await PrometheusServer.StartAsync(platform.BaseUrl, Job);

        // Rates need the counters' earlier values: traffic starts once Prometheus scrapes (its first scrape comes
        // seconds after it is ready), and the later traffic once the first window's series were scraped.
        await prometheus.WaitForDataAsync($"up{{job=\"{Job}\"}} == 1", TimeSpan.FromSeconds(30));
        using var traffic = new DashboardTraffic(platform, Model);
        await traffic.ProduceWindowWithoutReferenceAsync();
        foreach (string series in new[] { "mlops_label_delay_seconds_count", "mlops_dlq_records_total", "mlops_duplicate_events_total" })
            await prometheus.WaitForDataAsync(series == "mlops_duplicate_events_total" ? series : $"{series}{{model=\"{Model}\"}}", TimeSpan.FromSeconds(30));
        await traffic.ProduceReferencedWindowsAsync();
        // The drifted window raised alerts (the first delivery attempt fails, the retry gets through) and a run.
        await Eventually.HoldsAsync(() => receiver.Accepted.Count > 0 && receiver.Requests.Count > receiver.Accepted.Count,
            "a drift alert was retried and delivered to the webhook", TimeSpan.FromSeconds(60));
        await traffic.WaitForSkippedRunAsync();

        string instance = platform.BaseUrl.Authority;
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["job"] = ".+", ["instance"] = ".+", ["model"] = Model, ["version"] = "1", ["datasource"] = "prometheus",
            ["__rate_interval"] = "1m", ["__interval"] = "15s", ["__range"] = "5m",
        };
        var expected = new Dictionary<string, string>(StringComparer.Ordinal) { ["job"] = Job, ["instance"] = instance, ["model"] = Model, ["version"] = "1" };
        var dashboards = DashboardFiles.LoadAll();
        var queries = dashboards.SelectMany(d => d.Targets).Select(t => (t.Name, t.Expr, Query: Expand(t.Expr, values))).ToList();
        var variables = dashboards.SelectMany(d => d.Variables.Where(v => v.Type == "query").Select(v => (Where: $"{d.Name}, variable '{v.Name}'", Variable: v))).ToList();
        Assert.NotEmpty(queries);

        output.WriteLine($"traffic done after {clock.Elapsed.TotalSeconds:0.0} s; {queries.Count} panel queries, {variables.Count} variables");

        // Counters need two scrapes of a series before rate() answers: poll until every query has data, then report.
        List<string> problems = [];
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                problems = [];
                foreach (var (name, expr, query) in queries)
                {
                    var body = await prometheus.QueryAsync(query);
                    if (body.GetProperty("status").GetString() != "success")
                        problems.Add($"{name}: '{query}' failed: {body.GetProperty("error").GetString()}");
                    else if (body.GetProperty("data").GetProperty("result").GetArrayLength() == 0)
                        problems.Add($"{name}: '{query}' returned no data (from '{expr}')");
                }

                foreach (var (where, variable) in variables)
                    problems.AddRange(await VariableProblemsAsync(prometheus, where, variable, values, expected));
                return problems.Count == 0;
            }, "every panel query and variable has data", TimeSpan.FromSeconds(45));
        }
        catch (Xunit.Sdk.XunitException)
        {
            LintAssert.Clean(problems.Append($"(after {clock.Elapsed.TotalSeconds:0} s; Prometheus log tail: {prometheus.LogTail})"));
            throw;
        }

        output.WriteLine($"every query answered after {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var (name, _, query) in queries)
        {
            var result = (await prometheus.QueryAsync(query)).GetProperty("data").GetProperty("result");
            output.WriteLine($"{name}: {result.GetArrayLength()} series, first {result[0].GetProperty("value")[1].GetString()}");
        }
    }

    private static async Task<IEnumerable<string>> VariableProblemsAsync(
        PrometheusServer prometheus, string where, DashboardVariable variable, Dictionary<string, string> values, Dictionary<string, string> expected)
    {
        var call = LabelValues().Match(variable.Query);
        if (!call.Success)
            return [$"{where}: '{variable.Query}' is not label_values(selector, label)"];
        string label = call.Groups["label"].Value;
        var found = await prometheus.LabelValuesAsync(label, Expand(call.Groups["selector"].Value, values));
        return expected.TryGetValue(variable.Name, out string? value) && !found.Contains(value)
            ? [$"{where}: offers [{string.Join(", ", found)}], not '{value}'"]
            : found.Count == 0 ? [$"{where}: offers no value"] : [];
    }

    /// <summary>Replaces $name, ${name} and ${name:format} by their values, as Grafana does before it sends a query.</summary>
    private static string Expand(string text, Dictionary<string, string> values) =>
        VariableReference().Replace(text, m => values.TryGetValue(m.Groups["name"].Value, out string? v) ? v : m.Value);

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9_]+)(?::[^}]*)?\}|\$(?<name>[A-Za-z0-9_]+)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"^label_values\((?<selector>.+),\s*(?<label>[A-Za-z_][A-Za-z0-9_]*)\)$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
