using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using MlOps.IntegrationTests.Registry;
using MlOps.Storage;
using MlOps.Storage.Retraining;
using static Microsoft.Playwright.Assertions;

namespace MlOps.IntegrationTests.Monitoring;

[Collection(BrowserCollection.Name)]
public sealed class MonitoringPageTests(BrowserFixture browser)
{
    private static readonly string[] ClassificationMetrics = ["accuracy", "f1", "roc_auc"];

    [Fact]
    public async Task A_viewer_sees_every_chart_with_the_numbers_the_windows_api_gives()
    {
        // Registry and monitor in one process, as `mlops up` runs them, but no orchestrator.
        await using var platform = await StartAsync([MlOps.Platform.Services.Registry, MlOps.Platform.Services.Monitoring]);
        var model = await MonitoredModel.RegisterAsync(platform, "page-churn", reference: true);
        model.Produce(MinutesAgo(12), (false, 1.0), (false, 0.5), (true, 1.0));
        using var viewer = Client(platform);
        var windows = await model.WaitForWindowsAsync(viewer, count: 3, rows: 900, labelled: 750);
        var byStart = windows.EnumerateArray().ToDictionary(w => w.GetProperty("windowStart").GetString()!);
        var drifted = windows.EnumerateArray().Last();
        Assert.True(drifted.GetProperty("datasetDrift").GetBoolean(), drifted.ToString());
        Assert.NotEmpty(drifted.GetProperty("dataQualityProblems").EnumerateArray());

        var page = await MonitoringPage.OpenAsync(browser, platform.BaseUrl);
        await page.SignInAsync(TestUsers.Vic, model.Name);
        int datasetDrifts = windows.EnumerateArray().Count(w => w.GetProperty("datasetDrift").GetBoolean());
        await Expect(page.Summary).ToHaveTextAsync($"3 window(s) of {model.Name} in the last 6 h; {datasetDrifts} with dataset drift.");

        // The timeline: a point per window at its drifted share, a bar of its rows, a marker per dataset drift.
        var timeline = page.Timeline(model.Name);
        await Expect(timeline).ToBeVisibleAsync();
        var shares = await MonitoringPage.DataOfAsync(timeline.Locator("circle.share-point"));
        Assert.Equal(byStart.Keys.Order(), shares.Select(s => s["windowStart"]).Order());
        foreach (var s in shares)
            Assert.Equal(byStart[s["windowStart"]].GetProperty("driftedShare").GetDouble(), MonitoringPage.Number(s["value"]));
        var bars = await MonitoringPage.DataOfAsync(timeline.Locator("rect.rows-bar"));
        Assert.Equal(byStart.Keys.Order(), bars.Select(b => b["windowStart"]).Order());
        foreach (var b in bars)
            Assert.Equal(byStart[b["windowStart"]].GetProperty("rows").GetInt64(), long.Parse(b["rows"], System.Globalization.CultureInfo.InvariantCulture));
        await Expect(timeline.Locator("path.dataset-drift-marker")).ToHaveCountAsync(datasetDrifts);
        await Expect(page.WindowsTable.Locator("tbody tr")).ToHaveCountAsync(3);

        // The heat map: a cell per feature and window with the API's method, statistic, threshold and verdict.
        var cells = await MonitoringPage.DataOfAsync(page.Heatmap(model.Name).Locator("rect.heat-cell"));
        var expectedCells = windows.EnumerateArray().SelectMany(w => w.GetProperty("features").EnumerateArray().Select(f => (Window: w, Feature: f))).ToList();
        Assert.Equal(6, expectedCells.Count);
        Assert.Equal(expectedCells.Count, cells.Count);
        foreach (var (w, f) in expectedCells)
        {
            var cell = Assert.Single(cells, c => c["windowStart"] == w.GetProperty("windowStart").GetString() && c["feature"] == f.GetProperty("name").GetString());
            Assert.Equal(f.GetProperty("method").GetString(), cell["method"]);
            Assert.Equal(f.GetProperty("statistic").GetDouble(), MonitoringPage.Number(cell["statistic"]));
            Assert.Equal(f.GetProperty("threshold").GetDouble(), MonitoringPage.Number(cell["threshold"]));
            Assert.Equal(f.GetProperty("drifted").GetBoolean() ? "true" : "false", cell["drifted"]);
        }

        await Expect(page.Heatmap(model.Name).Locator("rect.heat-cell.drifted")).ToHaveCountAsync(expectedCells.Count(c => c.Feature.GetProperty("drifted").GetBoolean()));

        // Performance of the task's metrics and label coverage, per window.
        foreach (string metric in ClassificationMetrics)
        {
            var points = await MonitoringPage.DataOfAsync(page.MetricChart(model.Name, metric).Locator("circle.metric-point"));
            var expected = windows.EnumerateArray().Where(w => w.GetProperty("performance").TryGetProperty(metric, out _)).ToList();
            Assert.Equal(3, expected.Count);
            Assert.Equal(expected.Count, points.Count);
            foreach (var p in points)
                Assert.Equal(byStart[p["windowStart"]].GetProperty("performance").GetProperty(metric).GetDouble(), MonitoringPage.Number(p["value"]));
        }

        var coverage = await MonitoringPage.DataOfAsync(page.MetricChart(model.Name, "label_coverage").Locator("circle.metric-point"));
        Assert.Equal(3, coverage.Count);
        foreach (var p in coverage)
            Assert.Equal(byStart[p["windowStart"]].GetProperty("labelCoverage").GetDouble(), MonitoringPage.Number(p["value"]));
        Assert.Contains(coverage, p => MonitoringPage.Number(p["value"]) == 0.5);

        // Data-quality problems of the shown windows, and the retraining runs this host does not serve.
        string[] problems = [.. windows.EnumerateArray().SelectMany(w => w.GetProperty("dataQualityProblems").EnumerateArray().Select(p => p.GetString()!))];
        await Expect(page.QualityTable.Locator("tbody td:last-child")).ToHaveTextAsync(problems);
        await Expect(page.RunsNote).ToHaveTextAsync("Retraining runs are served by the orchestrator, which does not answer on this host.");

        // Every SVG chart has marks; nothing failed, nothing came from elsewhere.
        foreach (var svg in await page.Page.Locator("svg.chart").AllAsync())
            Assert.True(await svg.Locator("circle, rect, path").CountAsync() > 0, await svg.GetAttributeAsync("aria-label"));
        await Expect(page.Page.Locator("svg.chart")).ToHaveCountAsync(2 + ClassificationMetrics.Length + 1);

        // A window's report opens in a new tab from a click on its point, or the page says why it cannot.
        string start = drifted.GetProperty("windowStart").GetString()!;
        using var report = await viewer.GetAsync(new Uri($"api/monitoring/{model.Name}/windows/{Uri.EscapeDataString(start)}/report?version=1", UriKind.Relative));
        var point = page.Timeline(model.Name).Locator($"circle.share-point[data-window-start='{start}']");
        var tab = await page.Page.Context.RunAndWaitForPageAsync(() => point.ClickAsync());
        await Expect(page.ReportStatus).ToContainTextAsync("Opened the report of the window starting");
        if (report.StatusCode == HttpStatusCode.NotFound)
        {
            await Expect(tab.GetByRole(AriaRole.Alert)).ToContainTextAsync("this monitor does not serve window reports");
        }
        else
        {
            Assert.Equal(HttpStatusCode.OK, report.StatusCode);
            // Asked of the browser, not of Playwright's client-side events: WaitForURLAsync checks the tab's URL and then
            // subscribes to its navigations, and a navigation to blob: delivered in between (on the connection's thread,
            // a few milliseconds under load) is lost, so it waited out its 30 s (microsoft/playwright-dotnet#3364).
            await Expect(tab).ToHaveURLAsync(new Regex("^blob:"));
            await tab.WaitForFunctionAsync("() => document.readyState === 'complete'");
            string title = Regex.Match(await report.Content.ReadAsStringAsync(), "<title>(.*?)</title>").Groups[1].Value;
            Assert.Equal(WebUtility.HtmlDecode(title), await tab.TitleAsync());
            Assert.False(string.IsNullOrWhiteSpace(await tab.Locator("body").InnerTextAsync()));
            // The report's own inline stylesheet applies (a blob: document inherits the policy of the page that made it).
            Assert.True(await tab.EvaluateAsync<bool>("() => [...document.querySelectorAll('style')].every((s) => s.sheet !== null && s.sheet.cssRules.length > 0)"), "the report's stylesheet is blocked");
        }

        var errors = page.ConsoleErrors("/api/retraining", "/report");
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Empty(page.ForeignRequests(platform.BaseUrl));
        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();

        // A report that is not there says so in its tab.
        await page.Page.GotoAsync($"/monitoring/report?window=w#{Uri.EscapeDataString($"/api/monitoring/{model.Name}/windows/0/report?version=1")}");
        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("No report for w: this monitor does not serve window reports, or no longer keeps the window (404).");
        await page.Page.GoBackAsync();
        await Expect(page.Summary).ToContainTextAsync("3 window(s)");

        // The two pages link to each other where they share an origin.
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Model registry" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "MlOps model registry" })).ToBeVisibleAsync();
        await page.Page.GetByRole(AriaRole.Link, new() { Name = "Monitoring" }).ClickAsync();
        await Expect(page.Page.GetByRole(AriaRole.Heading, new() { Name = "MlOps monitoring" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_model_without_windows_or_without_a_reference_says_why_and_runs_come_from_the_orchestrator()
    {
        await using var platform = await StartAsync([MlOps.Platform.Services.Registry, MlOps.Platform.Services.Monitoring, MlOps.Platform.Services.Orchestration]);
        var empty = await MonitoredModel.RegisterAsync(platform, "page-empty", reference: true);
        var unreferenced = await MonitoredModel.RegisterAsync(platform, "page-noref", reference: false);
        unreferenced.Produce(MinutesAgo(12), (false, 0), (false, 0));
        string runId = await SeedRunAsync(platform, unreferenced.Name);
        using var viewer = Client(platform);
        var windows = await unreferenced.WaitForWindowsAsync(viewer, count: 2, rows: 600, labelled: 0);
        string reason = windows[0].GetProperty("notEvaluated").GetString()!;
        Assert.False(string.IsNullOrEmpty(reason));

        var page = await MonitoringPage.OpenAsync(browser, platform.BaseUrl);
        await page.SignInAsync(TestUsers.Vic, empty.Name);
        await Expect(page.Summary).ToHaveTextAsync($"No windows yet for {empty.Name}: no window has closed in the last 30 days. A window closes once the model's events pass its end plus the allowed lateness.");
        await Expect(page.RunsNote).ToHaveTextAsync($"No retraining runs for {empty.Name} yet.");
        await Expect(page.RunsTable).ToBeHiddenAsync();
        await Expect(page.Page.Locator("svg.chart")).ToHaveCountAsync(0);

        await page.ShowAsync(unreferenced.Name);
        await Expect(page.Summary).ToHaveTextAsync($"2 window(s) of {unreferenced.Name} in the last 6 h; 0 with dataset drift. None of them was evaluated: {reason}.");
        var cells = await MonitoringPage.DataOfAsync(page.Heatmap(unreferenced.Name).Locator("rect.heat-cell"));
        var expected = windows.EnumerateArray().SelectMany(w => w.GetProperty("features").EnumerateArray().Select(f => (Start: w.GetProperty("windowStart").GetString(), Feature: f))).ToList();
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected.Count, cells.Count);
        foreach (var (start, f) in expected)
        {
            var cell = Assert.Single(cells, c => c["windowStart"] == start && c["feature"] == f.GetProperty("name").GetString());
            Assert.Equal(f.GetProperty("notEvaluated").GetString(), cell["notEvaluated"]);
        }

        await Expect(page.Heatmap(unreferenced.Name).Locator("rect.heat-cell.not-evaluated")).ToHaveCountAsync(4);
        await Expect(page.Timeline(unreferenced.Name).Locator("circle.share-point.not-evaluated")).ToHaveCountAsync(2);
        await Expect(page.Page.Locator("#performance-note")).ToHaveTextAsync("No labelled predictions in these windows yet: performance appears once outcomes join their predictions.");
        var coverage = await MonitoringPage.DataOfAsync(page.MetricChart(unreferenced.Name, "label_coverage").Locator("circle.metric-point"));
        Assert.All(coverage, p => Assert.Equal(0, MonitoringPage.Number(p["value"])));

        var run = page.RunsTable.Locator($"tr[data-run-id='{runId}']");
        await Expect(run.Locator("th, td")).ToHaveTextAsync(new Regex[] { new(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$"), new("^Failed$"), new("^drift$"), new("^drift in window 10:00–10:05$"), new("^v2$"), new(@"^\d{4}-") });
        var errors = page.ConsoleErrors();
        Assert.True(errors.Count == 0, string.Join("\n", errors));
        Assert.Empty(page.ForeignRequests(platform.BaseUrl));
    }

    [Fact]
    public async Task A_registry_host_without_the_monitor_shows_no_link_to_the_monitoring_page()
    {
        await using var registry = await RegistryServer.StartAsync();
        var page = await browser.NewPageAsync(registry.BaseUrl);
        var probe = page.WaitForResponseAsync(r => r.Url.EndsWith("/monitoring", StringComparison.Ordinal));
        await page.GotoAsync("/");
        Assert.Equal(404, (await probe).Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "MlOps model registry" })).ToBeVisibleAsync();
        await Expect(page.Locator("#monitoring-link")).ToBeHiddenAsync();
    }

    private static Task<TestPlatform> StartAsync(IReadOnlyList<MlOps.Hosting.IMlOpsService> services) =>
        TestPlatform.StartAsync(
            // Back-dated traffic in one burst; the windows close once every partition has been idle this long.
            settings: new Dictionary<string, string?> { ["MlOps:Monitoring:IdleTimeout"] = "00:00:05" },
            services: services,
            apiKeys: [.. TestUsers.All.Select(u => (u.Name, u.Role, u.Key))]);

    private static DateTimeOffset MinutesAgo(int minutes)
    {
        var now = DateTimeOffset.UtcNow;
        return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-minutes);
    }

    private static HttpClient Client(TestPlatform platform)
    {
        var client = new HttpClient { BaseAddress = platform.BaseUrl };
        client.DefaultRequestHeaders.Add("X-Api-Key", TestUsers.Vic.Key);
        return client;
    }

    // A run as the saga writes it (the saga's own path is tested in MlOps.Orchestration.Tests).
    private static async Task<string> SeedRunAsync(TestPlatform platform, string model)
    {
        string id = Guid.CreateVersion7().ToString("N");
        long at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        await using var c = await platform.Get<Database>().OpenAsync();
        await platform.Get<RetrainingStore>().UpsertRunAsync(c, new RunRow
        {
            Id = id, Model = model, State = "Failed", TriggerKind = "drift", Reason = "drift in window 10:00–10:05", ChallengerVersion = "2",
            HistoryJson = JsonSerializer.Serialize(new[] { new MlOps.Contracts.Retraining.RetrainingHistoryEntry("Requested", DateTimeOffset.UtcNow, "drift") }, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            CreatedAt = at, UpdatedAt = at,
        });
        return id;
    }
}
