using System.Globalization;
using System.Text;
using static System.Net.WebUtility;

namespace MlOps.Reports;

/// <summary>
/// A feature's reference and current distributions as inline SVG: overlaid histograms (shares per bin) for numbers,
/// side-by-side bars per category for labels, new categories marked. No script, no external resource.
/// </summary>
internal static class SvgPlot
{
    private const double Width = 720, Height = 230, Left = 48, Right = 12, Top = 26, Bottom = 62;

    public static void Write(StringBuilder html, FeatureReport feature, FeatureDistribution distribution)
    {
        var c = CultureInfo.InvariantCulture;
        var bins = distribution.Bins;
        double plotWidth = Width - Left - Right, plotHeight = Height - Top - Bottom;
        double peak = 0;
        foreach (var b in bins)
        {
            peak = Math.Max(peak, FeatureDistribution.Share(b.ReferenceCount, distribution.ReferenceTotal));
            peak = Math.Max(peak, FeatureDistribution.Share(b.CurrentCount, distribution.CurrentTotal));
        }

        double top = NiceCeiling(peak);
        bool categories = distribution.Kind == DistributionKind.Categories;
        html.Append(c, $"<svg class=\"plot\" role=\"img\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" xmlns=\"http://www.w3.org/2000/svg\"");
        Attribute(html, "aria-label", $"Reference and current distribution of {feature.Name}");
        Attribute(html, "data-feature", feature.Name);
        Attribute(html, "data-kind", categories ? "categories" : "histogram");
        if (feature.Method is { } method)
            Attribute(html, "data-method", method);
        if (feature.Statistic is { } statistic)
            Attribute(html, "data-statistic", ReportNumbers.Exact(statistic));
        if (feature.PValue is { } p)
            Attribute(html, "data-p-value", ReportNumbers.Exact(p));
        if (feature.Threshold is { } threshold)
            Attribute(html, "data-threshold", ReportNumbers.Exact(threshold));
        Attribute(html, "data-drifted", feature.Drifted ? "true" : "false");
        Attribute(html, "data-reference-total", distribution.ReferenceTotal.ToString(c));
        Attribute(html, "data-current-total", distribution.CurrentTotal.ToString(c));
        html.Append(">\n");

        // Legend, axis and grid.
        html.Append(c, $"<rect class=\"key reference\" x=\"{Left}\" y=\"6\" width=\"12\" height=\"12\"/><text x=\"{Left + 16}\" y=\"16\">reference</text>");
        html.Append(c, $"<rect class=\"key current\" x=\"{Left + 96}\" y=\"6\" width=\"12\" height=\"12\"/><text x=\"{Left + 112}\" y=\"16\">current</text>\n");
        for (int i = 0; i <= 4; i++)
        {
            double y = Top + plotHeight - plotHeight * i / 4;
            html.Append(c, $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.##}\" y2=\"{y:0.##}\"/>");
            html.Append(c, $"<text class=\"tick\" x=\"{Left - 4}\" y=\"{y + 4:0.##}\" text-anchor=\"end\">{HtmlEncode(ReportNumbers.Percent(top * i / 4))}</text>");
        }

        html.Append('\n');
        if (bins.Count == 0)
        {
            html.Append(c, $"<text x=\"{Left + plotWidth / 2}\" y=\"{Top + plotHeight / 2}\" text-anchor=\"middle\">no values</text></svg>\n");
            return;
        }

        double band = plotWidth / bins.Count;
        int labelEvery = categories ? 1 : Math.Max(1, (int)Math.Ceiling(bins.Count / 8.0));
        for (int i = 0; i < bins.Count; i++)
        {
            var bin = bins[i];
            double x = Left + band * i;
            double rs = FeatureDistribution.Share(bin.ReferenceCount, distribution.ReferenceTotal);
            double cs = FeatureDistribution.Share(bin.CurrentCount, distribution.CurrentTotal);
            if (categories)
            {
                double w = band * 0.4;
                Bar(html, "reference", bin, x + band * 0.1, w, rs, bin.ReferenceCount, top, plotHeight);
                Bar(html, bin.IsNew ? "current new" : "current", bin, x + band * 0.5, w, cs, bin.CurrentCount, top, plotHeight);
            }
            else
            {
                double w = Math.Max(band - 1, 0.5);
                Bar(html, bin.IsOutside ? "reference outside" : "reference", bin, x, w, rs, bin.ReferenceCount, top, plotHeight);
                Bar(html, bin.IsOutside ? "current outside" : "current", bin, x, w, cs, bin.CurrentCount, top, plotHeight);
            }

            if (bin.Edges is { } edges)
            {
                // Range bins: the edges under the bin boundaries, horizontal, as a histogram's axis reads.
                int range = RangeIndex(bins, i);
                double ty = Top + plotHeight + 14;
                if (range % labelEvery == 0)
                    html.Append(c, $"<text class=\"tick\" x=\"{x:0.##}\" y=\"{ty:0.##}\" text-anchor=\"middle\">{HtmlEncode(Edge(edges.Lower))}</text>");
                if (i + 1 == bins.Count || bins[i + 1].Edges is null)
                    html.Append(c, $"<text class=\"tick\" x=\"{x + band:0.##}\" y=\"{ty:0.##}\" text-anchor=\"{(i + 1 == bins.Count ? "end" : "middle")}\">{HtmlEncode(Edge(edges.Upper))}</text>");
            }
            else if (i % labelEvery == 0 || bin.IsOutside || (categories && bin.IsNew))
            {
                string label = bin.Label.Length > 16 ? string.Concat(bin.Label.AsSpan(0, 15), "…") : bin.Label;
                if (bin.IsNew)
                    label = "★ " + label;
                double lx = x + band / 2, ly = Top + plotHeight + 12;
                html.Append(c, $"<text class=\"label{(bin.IsNew ? " new" : "")}\" x=\"{lx:0.##}\" y=\"{ly:0.##}\" text-anchor=\"end\" transform=\"rotate(-35 {lx:0.##} {ly:0.##})\">{HtmlEncode(label)}</text>");
            }

            html.Append('\n');
        }

        html.Append(c, $"<line class=\"axis\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Top + plotHeight}\" y2=\"{Top + plotHeight}\"/>\n</svg>\n");
    }

    private static void Bar(StringBuilder html, string kind, DistributionBin bin, double x, double width, double share, long count, double top, double plotHeight)
    {
        var c = CultureInfo.InvariantCulture;
        double h = top == 0 ? 0 : plotHeight * share / top;
        html.Append(c, $"<rect class=\"bar {kind}\" x=\"{x:0.##}\" y=\"{Top + plotHeight - h:0.##}\" width=\"{width:0.##}\" height=\"{h:0.##}\"");
        Attribute(html, "data-bin", bin.Label);
        Attribute(html, "data-count", count.ToString(c));
        Attribute(html, "data-share", ReportNumbers.Exact(share));
        string side = kind.StartsWith("reference", StringComparison.Ordinal) ? "reference" : "current";
        html.Append("><title>").Append(HtmlEncode($"{bin.Label}{(bin.IsNew ? " (new)" : "")}: {side} {ReportNumbers.Percent(share)} ({ReportNumbers.Count(count)})")).Append("</title></rect>");
    }

    private static int RangeIndex(IReadOnlyList<DistributionBin> bins, int i)
    {
        int first = i;
        while (first > 0 && bins[first - 1].Edges is not null)
            first--;
        return i - first;
    }

    // Axis edges: short, no exponent for everyday magnitudes (50010, 41.67, 0.0042).
    private static string Edge(double value)
    {
        double a = Math.Abs(value);
        string format = a == 0 ? "0" : a >= 1e7 || a < 1e-3 ? "0.##e+0" : a >= 100 ? "0" : a >= 1 ? "0.##" : "0.####";
        return value.ToString(format, CultureInfo.InvariantCulture);
    }

    internal static void Attribute(StringBuilder html, string name, string value) =>
        html.Append(' ').Append(name).Append("=\"").Append(HtmlEncode(value)).Append('"');

    // 1, 2, 2.5 or 5 times a power of ten at or above the peak share, so the axis reads in round percentages.
    private static double NiceCeiling(double value)
    {
        if (!(value > 0))
            return 1;
        double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in (ReadOnlySpan<double>)[1, 2, 2.5, 5, 10])
        {
            if (step * power >= value - 1e-12)
                return Math.Min(1, step * power);
        }

        return 1;
    }
}
