using System.Globalization;
using System.Text.Json;
using Microsoft.Playwright;

namespace MlOps.IntegrationTests.Reports;

/// <summary>
/// A drift report open in Chromium, with every request the page made and every console error it logged; its
/// features read from what the page shows and from the numbers its plots carry.
/// </summary>
public sealed class ReportPage
{
    private readonly List<string> _requests = [];
    private readonly List<string> _errors = [];

    private ReportPage(IPage page)
    {
        Page = page;
        page.Request += (_, request) => _requests.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type is "error" or "warning")
                _errors.Add($"{message.Type}: {message.Text}");
        };
        page.PageError += (_, error) => _errors.Add($"page error: {error}");
    }

    public IPage Page { get; }

    /// <summary>Every URL the page requested, itself included.</summary>
    public IReadOnlyList<string> Requests => _requests;

    /// <summary>Console errors and warnings (a CSP violation is one) and uncaught page errors.</summary>
    public IReadOnlyList<string> Errors => _errors;

    public static async Task<ReportPage> OpenAsync(IBrowser browser, string url, IReadOnlyDictionary<string, string>? headers = null)
    {
        var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 }, ExtraHTTPHeaders = headers });
        var report = new ReportPage(await context.NewPageAsync());
        var response = await report.Page.GotoAsync(url, new() { WaitUntil = WaitUntilState.NetworkIdle });
        if (response is not null && !response.Ok)
            throw new InvalidOperationException($"{url}: HTTP {response.Status}");
        return report;
    }

    /// <summary>
    /// Per feature (in page order): its section id, the plot's data- numbers, the plot's bar count, and the statistic
    /// and threshold cells of the features table as shown.
    /// </summary>
    public async Task<IReadOnlyList<ShownFeature>> FeaturesAsync()
    {
        string json = await Page.EvaluateAsync<string>("""
            () => JSON.stringify([...document.querySelectorAll("section.feature")].map((s) => {
              const svg = s.querySelector("svg.plot");
              const row = [...document.querySelectorAll("#features tbody tr")].find((r) => r.dataset.feature === s.dataset.feature);
              const cell = (c) => row?.querySelector("td." + c)?.textContent ?? null;
              return {
                id: s.id, name: s.dataset.feature,
                method: svg?.dataset.method ?? null, statistic: svg?.dataset.statistic ?? null, pValue: svg?.dataset.pValue ?? null,
                threshold: svg?.dataset.threshold ?? null, drifted: svg?.dataset.drifted ?? null,
                bars: svg ? svg.querySelectorAll("rect.bar").length : 0,
                visibleBars: svg ? [...svg.querySelectorAll("rect.bar")].filter((b) => b.getBBox().height > 0).length : 0,
                shownStatistic: cell("statistic"), shownThreshold: cell("threshold"), shownPValue: cell("p-value"),
                plotMissing: s.querySelector(".plot-missing")?.textContent ?? null,
                barHeights: svg ? [...svg.querySelectorAll("rect.bar")].map((b) => b.getAttribute("height")).join(" ") : null,
              };
            }))
            """);
        return JsonSerializer.Deserialize<List<ShownFeature>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    public Task<string?> SummaryAsync(string attribute) => Page.Locator("#summary").GetAttributeAsync(attribute);

    public sealed record ShownFeature(
        string Id,
        string Name,
        string? Method,
        string? Statistic,
        string? PValue,
        string? Threshold,
        string? Drifted,
        int Bars,
        int VisibleBars,
        string? ShownStatistic,
        string? ShownThreshold,
        string? ShownPValue,
        string? PlotMissing,
        string? BarHeights)
    {
        /// <summary>Why a feature shows no bar: its "no plot" sentence, or the heights its bars were given.</summary>
        public string NoBarReason => $"{Name} has no visible bar ({PlotMissing ?? $"bars {Bars}, heights [{BarHeights}]"})";

        public double StatisticValue => double.Parse(Statistic!, CultureInfo.InvariantCulture);

        public double ThresholdValue => double.Parse(Threshold!, CultureInfo.InvariantCulture);

        public double? PValueValue => PValue is null ? null : double.Parse(PValue, CultureInfo.InvariantCulture);
    }
}
