using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;
using MlOps.Reports;

namespace MlOps.IntegrationTests.Reports;

/// <summary>
/// The HTML drift reports in Debian's Chromium: the one <c>mlops report</c> writes and the one the platform serves for a
/// closed window. Each opens with no request but its own, logs no error, draws every feature with bars, and shows the
/// numbers of <c>mlops drift --format json</c> and of the windows API.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class DriftReportPageTests(BrowserFixture browser) : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlops-report-page-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task The_cli_report_opens_offline_and_shows_the_numbers_of_drift_json()
    {
        string reference = Path.Combine(AppContext.BaseDirectory, "examples", "reference.csv"), current = Path.Combine(AppContext.BaseDirectory, "examples", "current.csv");
        string file = Path.Combine(_folder, "report.html");
        var json = JsonDocument.Parse(await MlopsAsync("drift", "--reference", reference, "--current", current, "--format", "json")).RootElement;
        await MlopsAsync("report", "--reference", reference, "--current", current, "-o", file);

        var page = await ReportPage.OpenAsync(browser.Browser, new Uri(file).AbsoluteUri);
        var shown = await page.FeaturesAsync();

        Assert.Equal([new Uri(file).AbsoluteUri], page.Requests);
        Assert.Empty(page.Errors);
        var expected = json.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), shown.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var f in shown)
        {
            var e = expected[f.Name];
            Assert.Equal(HtmlIds.Feature(f.Name), f.Id);
            Assert.True(f.VisibleBars > 0, f.NoBarReason);
            Assert.Equal(e.GetProperty("method").GetString(), f.Method);
            Assert.Equal(e.GetProperty("statistic").GetDouble(), f.StatisticValue);
            Assert.Equal(e.GetProperty("threshold").GetDouble(), f.ThresholdValue);
            Assert.Equal(e.GetProperty("pValue").ValueKind == JsonValueKind.Null ? null : e.GetProperty("pValue").GetDouble(), f.PValueValue);
            Assert.Equal(e.GetProperty("drifted").GetBoolean() ? "true" : "false", f.Drifted);
            Assert.Equal(ReportNumbers.Short(e.GetProperty("statistic").GetDouble()), f.ShownStatistic);
            Assert.Equal(ReportNumbers.Short(e.GetProperty("threshold").GetDouble()), f.ShownThreshold);
        }

        // Drifted features first.
        Assert.Equal(shown.OrderByDescending(f => f.Drifted == "true").Select(f => f.Name), shown.Select(f => f.Name));
        Assert.Equal(json.GetProperty("driftedShare").GetDouble(), double.Parse((await page.SummaryAsync("data-drifted-share"))!, CultureInfo.InvariantCulture));
        Assert.Equal(json.GetProperty("datasetDrift").GetBoolean() ? "true" : "false", await page.SummaryAsync("data-dataset-drift"));
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "mlops-cli-report.png"), FullPage = true });
    }

    [Fact]
    public async Task A_window_report_from_the_running_platform_draws_every_feature_with_the_apis_numbers()
    {
        await using var platform = await TestPlatform.StartAsync();
        await Platform.Health.WaitReadyAsync(platform.BaseUrl, "mlops up");
        string model = $"report-{Guid.NewGuid():N}"[..20];
        await RegisterAsync(platform, model);
        var start = ProduceAsync(platform, model);

        using var viewer = new HttpClient { BaseAddress = platform.BaseUrl };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", platform.Platform.Keys["viewer"]);
        JsonElement window = default;
        string last = "";
        await Eventually.HoldsAsync(async () =>
        {
            last = await viewer.GetStringAsync(new Uri($"api/monitoring/{model}/windows?from={Uri.EscapeDataString(start.AddMinutes(-1).ToString("O", CultureInfo.InvariantCulture))}", UriKind.Relative));
            var evaluated = JsonDocument.Parse(last).RootElement.EnumerateArray().Where(w => w.GetProperty("drift").ValueKind == JsonValueKind.Object && w.GetProperty("rows").GetInt64() >= 100).ToList();
            if (evaluated.Count > 0)
                window = evaluated[0].Clone();
            return evaluated.Count > 0;
        }, "a window is closed and compared with the reference", () => last, TimeSpan.FromSeconds(90));

        string url = new Uri(platform.BaseUrl, window.GetProperty("reportUrl").GetString()).AbsoluteUri;
        var page = await ReportPage.OpenAsync(browser.Browser, url, new Dictionary<string, string> { ["X-Api-Key"] = platform.Platform.Keys["viewer"] });
        var shown = await page.FeaturesAsync();

        Assert.Equal([url], page.Requests);
        Assert.Empty(page.Errors);
        var expected = window.GetProperty("features").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(["age", "income", "plan"], shown.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var f in shown)
        {
            var e = expected[f.Name];
            Assert.True(f.VisibleBars > 0, f.NoBarReason);
            Assert.Equal(e.GetProperty("method").GetString(), f.Method);
            Assert.Equal(e.GetProperty("statistic").GetDouble(), f.StatisticValue);
            Assert.Equal(e.GetProperty("threshold").GetDouble(), f.ThresholdValue);
            Assert.Equal(e.GetProperty("drifted").GetBoolean() ? "true" : "false", f.Drifted);
            Assert.Equal(ReportNumbers.Short(e.GetProperty("statistic").GetDouble()), f.ShownStatistic);
        }

        Assert.Equal(window.GetProperty("driftedShare").GetDouble(), double.Parse((await page.SummaryAsync("data-drifted-share"))!, CultureInfo.InvariantCulture));
        // The window's new category is marked in its plot.
        await Microsoft.Playwright.Assertions.Expect(page.Page.Locator($"#{HtmlIds.Feature("plan")} .new-categories")).ToContainTextAsync("platinum");
        await page.Page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "mlops-window-report.png"), FullPage = true });
    }

    private static async Task RegisterAsync(TestPlatform platform, string model)
    {
        var admin = platform.Platform.RegistryAs("admin");
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = model,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Features =
                [
                    new FeatureSchema { Name = "age", Type = FeatureType.Numeric },
                    new FeatureSchema { Name = "income", Type = FeatureType.Numeric },
                    new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
                ],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 0.1, AllowedLatenessMinutes = 0 },
        });
        var random = new Random(1);
        var csv = new StringBuilder("age,income,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{40 + 10 * random.NextDouble()},{50000 + 10000 * random.NextDouble()},{(i % 2 == 0 ? "basic" : "gold")}\n");
        using var artifact = new MemoryStream([1, 2, 3]);
        using var reference = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
        await admin.RegisterVersionAsync(model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
    }

    // 600 predictions over the 30 s before now (older customers, a new plan), then one at now on every partition so
    // the watermarks pass those windows. Returns the first prediction's time.
    private static DateTimeOffset ProduceAsync(TestPlatform platform, string model)
    {
        var now = DateTimeOffset.UtcNow;
        var first = now.AddSeconds(-30);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = platform.Platform.BootstrapServers }).Build();
        var random = new Random(2);
        string Event(int i, DateTimeOffset at) => string.Create(CultureInfo.InvariantCulture,
            $$"""{"schemaVersion":1,"predictionId":"{{model}}-{{i}}","model":"{{model}}","modelVersion":"1","timestamp":"{{at:O}}","features":{"age":{{50 + 10 * random.NextDouble()}},"income":{{50000 + 10000 * random.NextDouble()}},"plan":"{{(i % 3) switch { 0 => "basic", 1 => "gold", _ => "platinum" }}}"},"prediction":"1","score":0.5}""");
        for (int i = 0; i < 600; i++)
            producer.Produce("mlops.predictions", new Message<string, string> { Key = $"{model}-{i}", Value = Event(i, first.AddMilliseconds(i * 50)) });
        for (int p = 0; p < 3; p++)
            producer.Produce(new TopicPartition("mlops.predictions", p), new Message<string, string> { Key = $"{model}-late-{p}", Value = Event(10_000 + p, now) });
        producer.Flush(TimeSpan.FromSeconds(30));
        return first;
    }

    // Runs the real mlops executable; its standard output, or a failure with what it printed.
    private static async Task<string> MlopsAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "mlops")) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 0, $"mlops {string.Join(' ', args)}: exit {process.ExitCode}: {await error}");
        return await output;
    }
}
