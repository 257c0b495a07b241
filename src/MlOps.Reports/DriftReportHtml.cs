using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace MlOps.Reports;

/// <summary>
/// Draws a <see cref="DriftReport"/> as one self-contained HTML page: inline CSS and SVG, no script, no external
/// resource, a Content-Security-Policy that forbids fetching anything, every user string encoded. Each feature's
/// section has a stable id (<see cref="HtmlIds.Feature"/>) and its plot carries the exact numbers as <c>data-</c>
/// attributes, so programs (and browser tests) can read what people see.
/// </summary>
public static class DriftReportHtml
{
    /// <summary>The policy of the page: nothing may be fetched; inline styles and data: images only.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    /// <summary>The page as a string.</summary>
    public static string Render(DriftReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var c = CultureInfo.InvariantCulture;
        var features = FeatureOrder.Sort(report.Features);
        int evaluated = features.Count(f => f.Statistic is not null);
        int drifted = features.Count(f => f.Drifted);
        var html = new StringBuilder(16_384 + features.Count * 12_000);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        html.Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        html.Append("<meta http-equiv=\"Content-Security-Policy\" content=\"").Append(ContentSecurityPolicy).Append("\">\n");
        // An empty icon of our own, so a browser does not go looking for /favicon.ico.
        html.Append("<link rel=\"icon\" href=\"data:,\">\n");
        html.Append("<title>").Append(HtmlEncode(report.Title)).Append("</title>\n<style>").Append(Css).Append("</style>\n</head>\n<body>\n<header>\n");
        html.Append("<h1>").Append(HtmlEncode(report.Title)).Append("</h1>\n<dl class=\"compared\">\n");
        foreach (var fact in report.Compared)
            html.Append("<dt>").Append(HtmlEncode(fact.Label)).Append("</dt><dd>").Append(HtmlEncode(fact.Value)).Append("</dd>\n");
        html.Append("</dl>\n");

        html.Append("<div class=\"summary\" id=\"summary\"");
        SvgPlot.Attribute(html, "data-drifted-share", ReportNumbers.Exact(report.DriftedShare));
        SvgPlot.Attribute(html, "data-dataset-drift", report.DatasetDrift ? "true" : "false");
        SvgPlot.Attribute(html, "data-share-threshold", ReportNumbers.Exact(report.ShareThreshold));
        SvgPlot.Attribute(html, "data-features", features.Count.ToString(c));
        SvgPlot.Attribute(html, "data-drifted-features", drifted.ToString(c));
        html.Append(">\n");
        if (report.ReferenceRows is { } referenceRows)
            Tile(html, "Reference rows", ReportNumbers.Count(referenceRows), "reference-rows");
        Tile(html, "Current rows", ReportNumbers.Count(report.CurrentRows), "current-rows");
        Tile(html, "Features", evaluated == features.Count ? features.Count.ToString(c) : $"{evaluated.ToString(c)} of {features.Count.ToString(c)} evaluated", "features");
        Tile(html, "Drifted features", $"{drifted.ToString(c)} ({ReportNumbers.Percent(report.DriftedShare)})", "drifted");
        string verdict = report.NotEvaluated is not null ? "not evaluated" : report.DatasetDrift ? "DRIFT" : "no drift";
        Tile(html, "Dataset drift", verdict, "dataset-drift", report.NotEvaluated is not null ? "na" : report.DatasetDrift ? "drift" : "ok");
        html.Append("</div>\n<p class=\"rule\">The data set drifts when the share of drifted features is at least ")
            .Append(HtmlEncode(ReportNumbers.Percent(report.ShareThreshold))).Append(". Statistics and default tests follow Evidently (as <code>mlops drift</code>).</p>\n");
        if (report.NotEvaluated is { } why)
            html.Append("<p class=\"note\" id=\"not-evaluated\">Drift not evaluated: ").Append(HtmlEncode(why)).Append("</p>\n");
        if (report.PlotsMissing is { } missing)
            html.Append("<p class=\"note\" id=\"plots-missing\">No distribution plots: ").Append(HtmlEncode(missing)).Append("</p>\n");
        html.Append("</header>\n<main>\n");

        WriteTable(html, features);
        foreach (var feature in features)
            WriteSection(html, feature, report.PlotsMissing);

        html.Append("</main>\n<footer>");
        if (report.GeneratedAt is { } at)
            html.Append("Generated ").Append(HtmlEncode(at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", c))).Append(" by MlOps. ");
        html.Append("Shares are of the values present; missing values are counted apart.</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void WriteTable(StringBuilder html, IReadOnlyList<FeatureReport> features)
    {
        html.Append("<h2>Features by drift</h2>\n<table class=\"features\" id=\"features\">\n<thead><tr><th scope=\"col\">Feature</th><th scope=\"col\">Type</th><th scope=\"col\">Method</th>")
            .Append("<th scope=\"col\" class=\"num\">Statistic</th><th scope=\"col\" class=\"num\">p-value</th><th scope=\"col\" class=\"num\">Threshold</th><th scope=\"col\">Verdict</th><th scope=\"col\" class=\"num\">Missing</th></tr></thead>\n<tbody>\n");
        foreach (var f in features)
        {
            html.Append("<tr");
            SvgPlot.Attribute(html, "data-feature", f.Name);
            html.Append("><th scope=\"row\"><a href=\"#").Append(HtmlEncode(HtmlIds.Feature(f.Name))).Append("\">").Append(HtmlEncode(f.Name)).Append("</a></th>");
            html.Append("<td>").Append(HtmlEncode(f.Type)).Append("</td>");
            if (f.Statistic is not { } statistic)
            {
                html.Append("<td class=\"not-evaluated\" colspan=\"5\">not evaluated: ").Append(HtmlEncode(f.NotEvaluated ?? "no statistic")).Append("</td>");
            }
            else
            {
                html.Append("<td>").Append(HtmlEncode(f.Method ?? "")).Append("</td>");
                Number(html, "statistic", statistic);
                if (f.PValue is { } p)
                    Number(html, "p-value", p);
                else
                    html.Append("<td class=\"num p-value\">—</td>");
                if (f.Threshold is { } t)
                    Number(html, "threshold", t);
                else
                    html.Append("<td class=\"num threshold\">—</td>");
                html.Append(f.Drifted ? "<td class=\"verdict drift\">DRIFT</td>" : "<td class=\"verdict ok\">ok</td>");
            }

            html.Append("<td class=\"num missing\"");
            SvgPlot.Attribute(html, "data-value", ReportNumbers.Exact(f.MissingShare));
            html.Append('>').Append(HtmlEncode(ReportNumbers.Percent(f.MissingShare))).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n</table>\n");
    }

    private static void WriteSection(StringBuilder html, FeatureReport f, string? plotsMissing)
    {
        html.Append("<section class=\"feature\" id=\"").Append(HtmlEncode(HtmlIds.Feature(f.Name))).Append('"');
        SvgPlot.Attribute(html, "data-feature", f.Name);
        html.Append(">\n<h3>").Append(HtmlEncode(f.Name)).Append(' ');
        html.Append(f.Statistic is null ? "<span class=\"badge na\">not evaluated</span>" : f.Drifted ? "<span class=\"badge drift\">DRIFT</span>" : "<span class=\"badge ok\">ok</span>");
        html.Append("</h3>\n<p class=\"numbers\">").Append(HtmlEncode(f.Type));
        if (f.Statistic is { } statistic)
        {
            html.Append(" · ").Append(HtmlEncode(f.Method ?? "")).Append(" statistic ").Append(HtmlEncode(ReportNumbers.Short(statistic)));
            if (f.PValue is { } p)
                html.Append(" · p-value ").Append(HtmlEncode(ReportNumbers.Short(p)));
            if (f.Threshold is { } t)
                html.Append(" · threshold ").Append(HtmlEncode(ReportNumbers.Short(t)));
            if (f.ErrorBound is > 0 and var bound)
                html.Append(" · error bound ±").Append(HtmlEncode(ReportNumbers.Short(bound)));
        }
        else
        {
            html.Append(" · not evaluated: ").Append(HtmlEncode(f.NotEvaluated ?? "no statistic"));
        }

        html.Append(" · missing ").Append(HtmlEncode(ReportNumbers.Percent(f.MissingShare)));
        if (f.ReferenceMissingShare is { } referenceMissing)
            html.Append(" (reference ").Append(HtmlEncode(ReportNumbers.Percent(referenceMissing))).Append(')');
        html.Append("</p>\n");
        if (f.Distribution is { } distribution)
        {
            SvgPlot.Write(html, f, distribution);
            if (distribution.NewCategories.Count > 0)
            {
                html.Append("<p class=\"new-categories\">★ New categories (not in the reference): ")
                    .Append(HtmlEncode(string.Join(", ", distribution.NewCategories.Take(20))));
                if (distribution.NewCategories.Count > 20)
                    html.Append(HtmlEncode($" and {(distribution.NewCategories.Count - 20).ToString(CultureInfo.InvariantCulture)} more"));
                html.Append("</p>\n");
            }
        }
        else
        {
            html.Append("<p class=\"plot-missing\">No plot: ").Append(HtmlEncode(f.PlotMissing ?? plotsMissing ?? "no distribution was recorded")).Append("</p>\n");
        }

        html.Append("</section>\n");
    }

    private static void Tile(StringBuilder html, string label, string value, string name, string? tone = null)
    {
        html.Append("<div class=\"tile").Append(tone is null ? "" : " " + tone).Append("\" id=\"summary-").Append(name).Append("\"><span class=\"label\">")
            .Append(HtmlEncode(label)).Append("</span><span class=\"value\">").Append(HtmlEncode(value)).Append("</span></div>\n");
    }

    private static void Number(StringBuilder html, string kind, double value)
    {
        html.Append("<td class=\"num ").Append(kind).Append('"');
        SvgPlot.Attribute(html, "data-value", ReportNumbers.Exact(value));
        html.Append('>').Append(HtmlEncode(ReportNumbers.Short(value))).Append("</td>");
    }

    private const string Css = """

        :root { --ref: #4c78a8; --cur: #f58518; --drift: #b42318; --ok: #067647; --na: #667085; --line: #d0d5dd; }
        * { box-sizing: border-box; }
        body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #101828; margin: 0 auto; max-width: 1100px; padding: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 12px; overflow-wrap: anywhere; }
        h2 { font-size: 1.25em; margin: 28px 0 8px; }
        h3 { font-size: 1.1em; margin: 0 0 4px; overflow-wrap: anywhere; }
        dl.compared { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 0 0 16px; }
        dl.compared dt { color: var(--na); }
        dl.compared dd { margin: 0; overflow-wrap: anywhere; }
        .summary { display: flex; flex-wrap: wrap; gap: 12px; }
        .tile { border: 1px solid var(--line); border-radius: 8px; padding: 8px 14px; min-width: 150px; }
        .tile .label { display: block; color: var(--na); font-size: .85em; }
        .tile .value { font-size: 1.3em; font-weight: 600; }
        .tile.drift .value, .verdict.drift { color: var(--drift); font-weight: 600; }
        .tile.ok .value, .verdict.ok { color: var(--ok); }
        .tile.na .value, .not-evaluated { color: var(--na); }
        .rule { color: var(--na); font-size: .9em; }
        .note { border-left: 4px solid var(--cur); background: #fff6ed; padding: 8px 12px; }
        table.features { border-collapse: collapse; width: 100%; }
        table.features th, table.features td { border-bottom: 1px solid var(--line); padding: 5px 8px; text-align: left; vertical-align: top; }
        table.features th[scope=row] { font-weight: 500; overflow-wrap: anywhere; }
        .num { text-align: right !important; font-variant-numeric: tabular-nums; }
        a { color: var(--ref); }
        section.feature { border-top: 1px solid var(--line); padding: 16px 0 8px; break-inside: avoid; }
        .badge { font-size: .75em; border-radius: 4px; padding: 1px 6px; vertical-align: middle; color: #fff; }
        .badge.drift { background: var(--drift); } .badge.ok { background: var(--ok); } .badge.na { background: var(--na); }
        .numbers { color: #344054; margin: 0 0 8px; }
        .plot-missing { color: var(--na); font-style: italic; }
        .new-categories { color: var(--drift); font-size: .9em; }
        svg.plot { max-width: 100%; height: auto; font-size: 11px; }
        svg.plot text { fill: #344054; }
        svg.plot .grid { stroke: #eaecf0; } svg.plot .axis { stroke: #98a2b3; }
        svg.plot .reference { fill: var(--ref); fill-opacity: .55; }
        svg.plot .current { fill: var(--cur); fill-opacity: .55; }
        svg.plot .outside { fill-opacity: .3; }
        svg.plot .new { fill: var(--drift); fill-opacity: .8; }
        svg.plot text.new { fill: var(--drift); font-weight: 600; }
        footer { color: var(--na); font-size: .85em; margin-top: 24px; border-top: 1px solid var(--line); padding-top: 8px; }
        @media print { body { padding: 0; max-width: none; font-size: 11pt; } a { color: inherit; text-decoration: none; } * { -webkit-print-color-adjust: exact; print-color-adjust: exact; } }

        """;
}
