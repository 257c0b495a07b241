using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;
using MlOps.IntegrationTests.Registry;
using static Microsoft.Playwright.Assertions;

namespace MlOps.IntegrationTests.Monitoring;

/// <summary>
/// The monitoring page as a person sees it (found by labels, roles and captions), plus what its charts say in their
/// data- attributes. Records console errors and every request, so a test can check that nothing failed and nothing left
/// the origin.
/// </summary>
public sealed class MonitoringPage
{
    private readonly List<string> _consoleErrors = [];
    private readonly List<string> _requests = [];

    private MonitoringPage(IPage page)
    {
        Page = page;
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
                lock (_consoleErrors) _consoleErrors.Add($"{message.Text} at {message.Location}");
        };
        page.PageError += (_, error) => { lock (_consoleErrors) _consoleErrors.Add(error); };
        page.Request += (_, request) => { lock (_requests) _requests.Add(request.Url); };
    }

    public IPage Page { get; }

    public ILocator Summary => Page.Locator("#summary");

    public ILocator ReportStatus => Page.Locator("#report-status");

    public ILocator RunsNote => Page.Locator("#runs-note");

    public ILocator Timeline(string model) => Page.GetByRole(AriaRole.Img, new() { Name = $"Timeline of the windows of {model}: drifted share, dataset drift and rows" });

    public ILocator Heatmap(string model) => Page.GetByRole(AriaRole.Img, new() { Name = $"Drift per feature and window of {model}" });

    public ILocator MetricChart(string model, string metric) =>
        Page.GetByRole(AriaRole.Img, new() { Name = metric == "label_coverage" ? $"Label coverage of {model} per window" : $"{metric} of {model} per window", Exact = true });

    public ILocator QualityTable => Page.GetByRole(AriaRole.Table, new() { Name = "Data-quality problems of the shown windows" });

    public ILocator RunsTable => Page.GetByRole(AriaRole.Table, new() { Name = "Retraining runs of the model, newest first" });

    public ILocator WindowsTable => Page.GetByRole(AriaRole.Table, new() { Name = "Closed windows in the range, oldest first; open a window's report from its row" });

    public static async Task<MonitoringPage> OpenAsync(BrowserFixture browser, Uri baseUrl) => new(await browser.NewPageAsync(baseUrl));

    public async Task SignInAsync(TestUser user, string? model = null)
    {
        await Page.GotoAsync(model is null ? "/monitoring" : $"/monitoring#model={Uri.EscapeDataString(model)}");
        await Page.GetByLabel("API key").FillAsync(user.Key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.Locator("#whoami")).ToHaveTextAsync($"Signed in as {user.Name} ({user.Role})");
    }

    public async Task ShowAsync(string model)
    {
        await Page.GetByLabel("Model").SelectOptionAsync(model);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
    }

    /// <summary>The data- attributes of every element under <paramref name="marks"/>, one dictionary per element.</summary>
    public static async Task<IReadOnlyList<Dictionary<string, string>>> DataOfAsync(ILocator marks) =>
        (await marks.EvaluateAllAsync<JsonElement>("els => els.map(e => ({ ...e.dataset }))"))
            .EnumerateArray()
            .Select(e => e.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? ""))
            .ToList();

    public static double Number(string text) => double.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>Console errors, but for the 404s the page expects from services this host does not run.</summary>
    public IReadOnlyList<string> ConsoleErrors(params string[] expected404Paths)
    {
        lock (_consoleErrors)
        {
            return [.. _consoleErrors.Where(e => !(e.Contains("status of 404", StringComparison.Ordinal) && expected404Paths.Any(p => e.Contains(p, StringComparison.Ordinal))))];
        }
    }

    /// <summary>Requests to anywhere but <paramref name="origin"/> (blob: URLs of reports are the page's own).</summary>
    public IReadOnlyList<string> ForeignRequests(Uri origin)
    {
        lock (_requests)
        {
            return [.. _requests.Where(u => !u.StartsWith(origin.GetLeftPart(UriPartial.Authority) + "/", StringComparison.Ordinal) && !u.StartsWith("blob:", StringComparison.Ordinal) && !u.StartsWith("data:", StringComparison.Ordinal))];
        }
    }
}
