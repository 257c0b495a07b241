using System.Text.RegularExpressions;
using MlOps.Statistics.Profiles;

namespace MlOps.Reports.Tests;

public sealed partial class DriftReportHtmlTests
{
    private const string Hostile = "<script>alert(\"x\")</script>&'\" onload=\"alert(1)";

    [Fact]
    public void Hostile_feature_names_and_categories_are_encoded_everywhere()
    {
        var distribution = DistributionBuilder.FromCounts(
            new Dictionary<string, long> { ["<b>gold</b>"] = 10, ["a\"b"] = 5 },
            new Dictionary<string, long> { ["<b>gold</b>"] = 3, ["<img src=x onerror=alert(2)>"] = 9 });
        var report = Report(
            Feature(Hostile, drifted: true, statistic: 0.4) with { Distribution = distribution },
            Feature("plain", drifted: false, statistic: 0.01)) with
        {
            Title = "Drift of </title><script>x()</script>",
            Compared = [new ReportFact("Reference", "/tmp/<evil>.csv")],
        };

        string html = DriftReportHtml.Render(report);

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>gold", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<evil>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("onload=\"", html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&quot; onload=&quot;alert(1)", html, StringComparison.Ordinal);
        Assert.Contains("&lt;img src=x onerror=alert(2)&gt;", html, StringComparison.Ordinal);
        // Every attribute value is quoted and holds no raw quote or angle bracket.
        foreach (Match m in AttributeValue().Matches(html))
            Assert.DoesNotContain('<', m.Groups[1].Value);
        // The id is derived, stable and made of safe characters only.
        string id = HtmlIds.Feature(Hostile);
        Assert.Matches("^feature-[A-Za-z0-9_-]+$", id);
        Assert.Equal(id, HtmlIds.Feature(Hostile));
        Assert.NotEqual(HtmlIds.Feature("a b"), HtmlIds.Feature("a_b"));
        Assert.Contains($"id=\"{id}\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_page_needs_nothing_from_the_network_and_runs_no_script()
    {
        string html = DriftReportHtml.Render(Report(Feature("age", drifted: true, statistic: 0.3) with
        {
            Distribution = DistributionBuilder.FromSamples([new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22 }], [new double[] { 5, 6, 7 }]),
        }));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(1, Regex.Count(html, "<link"));
        Assert.Contains("<link rel=\"icon\" href=\"data:,\">", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("url(", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("https://", html, StringComparison.Ordinal);
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{DriftReportHtml.ContentSecurityPolicy}\">", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Features_are_sorted_drifted_first_then_by_distance_to_their_threshold_with_unevaluated_last()
    {
        var report = Report(
            Feature("calm", drifted: false, statistic: 0.02),
            Feature("unevaluated", drifted: false, statistic: null) with { NotEvaluated = "no values in this window" },
            Feature("little", drifted: true, statistic: 0.12),
            Feature("ks", drifted: true, statistic: 0.2) with { Method = "ks", PValue = 0.0001, Threshold = 0.05 },
            Feature("edge", drifted: false, statistic: 0.09),
            Feature("strong", drifted: true, statistic: 0.9));

        string html = DriftReportHtml.Render(report);

        var rows = TableRow().Matches(html).Select(m => m.Groups[1].Value).ToList();
        // ks: 0.05 / 0.0001 = 500 times past; strong: 0.9 / 0.1 = 9; little: 1.2; edge: 0.9; calm: 0.2.
        Assert.Equal(["ks", "strong", "little", "edge", "calm", "unevaluated"], rows);
        var sections = Section().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(rows.Select(HtmlIds.Feature), sections);
    }

    [Fact]
    public void A_feature_that_could_not_be_evaluated_says_why_in_its_row_and_section()
    {
        var report = Report(
            Feature("age", drifted: false, statistic: 0.01),
            Feature("income", drifted: false, statistic: null) with { NotEvaluated = "no values in this window", MissingShare = 1, PlotMissing = "no values to draw" });

        string html = DriftReportHtml.Render(report);

        Assert.Contains("<td class=\"not-evaluated\" colspan=\"5\">not evaluated: no values in this window</td>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge na\">not evaluated</span>", html, StringComparison.Ordinal);
        Assert.Contains("No plot: no values to draw", html, StringComparison.Ordinal);
        Assert.Contains("data-value=\"1\">100 %</td>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">1 of 2 evaluated</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_without_any_distribution_still_shows_the_summary_and_says_why()
    {
        var report = Report(Feature("age", drifted: true, statistic: 0.5)) with
        {
            DriftedShare = 1,
            DatasetDrift = true,
            PlotsMissing = "this window was stored before window profiles were kept",
        };

        string html = DriftReportHtml.Render(report);

        Assert.Contains("id=\"plots-missing\">No distribution plots: this window was stored before window profiles were kept</p>", html, StringComparison.Ordinal);
        Assert.Contains("No plot: this window was stored before window profiles were kept", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("data-dataset-drift=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"value\">DRIFT</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Plots_carry_the_exact_numbers_and_one_bar_per_side_and_bin()
    {
        double statistic = 0.123456789012345678;
        var distribution = DistributionBuilder.FromCounts(new Dictionary<string, long> { ["a"] = 3, ["b"] = 1 }, new Dictionary<string, long> { ["a"] = 1, ["c"] = 3 });
        var report = Report(Feature("plan", drifted: true, statistic: statistic) with { Method = "chisquare", PValue = 1e-12, Threshold = 0.05, Distribution = distribution });

        string html = DriftReportHtml.Render(report);

        Assert.Contains($"data-statistic=\"{statistic:R}\"", html, StringComparison.Ordinal);
        Assert.Contains("data-p-value=\"1E-12\"", html, StringComparison.Ordinal);
        Assert.Contains("data-method=\"chisquare\"", html, StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(html, "<rect class=\"bar reference\""));
        Assert.Equal(2, Regex.Count(html, "<rect class=\"bar current\""));
        Assert.Equal(1, Regex.Count(html, "<rect class=\"bar current new\""));
        Assert.Contains("★ New categories (not in the reference): c", html, StringComparison.Ordinal);
        Assert.Contains("data-bin=\"a\" data-count=\"3\" data-share=\"0.75\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_window_profiled_on_the_reference_bins_is_drawn_on_them_with_out_of_range_bins_when_used()
    {
        var reference = NumericProfile.Build([.. Enumerable.Range(0, 1000).Select(i => i / 10.0)]);
        var current = reference.CreateEmpty();
        foreach (double v in (double[])[-5, 10, 20, 30, 200])
            current.Add(v);

        var (distribution, why) = DistributionBuilder.FromProfiles(reference, current);

        Assert.Null(why);
        Assert.Equal(DistributionKind.Histogram, distribution!.Kind);
        Assert.Equal(reference.Binning!.Points.Count - 1 + 2, distribution.Bins.Count);
        Assert.Equal("< 0", distribution.Bins[0].Label);
        Assert.True(distribution.Bins[0].IsOutside);
        Assert.Equal("> 99.9", distribution.Bins[^1].Label);
        Assert.Equal((1000L, 5L), (distribution.ReferenceTotal, distribution.CurrentTotal));
        var (none, reason) = DistributionBuilder.FromProfiles(reference, new NumericProfile());
        Assert.Null(none);
        Assert.Equal("the window was not profiled on the reference's bins", reason);
    }

    [Fact]
    public void Numeric_samples_share_sturges_edges_over_both_ranges_or_one_bar_per_value()
    {
        var wide = DistributionBuilder.FromSamples([Enumerable.Range(0, 100).Select(i => (double)i).ToArray()], [new double[] { 50, 150, double.NaN }]);
        Assert.Equal(100 + 2, wide.ReferenceTotal + wide.CurrentTotal);
        Assert.StartsWith("[0, ", wide.Bins[0].Label, StringComparison.Ordinal);
        Assert.EndsWith(", 150]", wide.Bins[^1].Label, StringComparison.Ordinal);
        // numpy: 102 values → log2(102) + 1 = 7.67 → 8 bins of width 150 / 7.67.
        Assert.Equal(8, wide.Bins.Count);

        var few = DistributionBuilder.FromSamples([new double[] { 0, 1, 1, 2 }], [new double[] { 1, 3 }]);
        Assert.Equal(["0", "1", "2", "3"], few.Bins.Select(b => b.Label));
        Assert.Equal([1L, 2, 1, 0], few.Bins.Select(b => b.ReferenceCount));
    }

    [Fact]
    public void Many_categories_are_folded_into_one_other_bar_but_every_new_one_is_listed()
    {
        var reference = Enumerable.Range(0, 40).ToDictionary(i => $"c{i:D2}", i => (long)(100 - i));
        var current = Enumerable.Range(0, 45).ToDictionary(i => $"c{i:D2}", _ => 1L);

        var d = DistributionBuilder.FromCounts(reference, current);

        Assert.Equal(DistributionBuilder.MaxCategories + 1, d.Bins.Count);
        Assert.Equal("other (15 categories)", d.Bins[^1].Label);
        Assert.Equal(["c40", "c41", "c42", "c43", "c44"], d.NewCategories);
        Assert.Equal(reference.Values.Sum(), d.ReferenceTotal);
    }

    private static DriftReport Report(params FeatureReport[] features) => new()
    {
        Title = "Data drift: reference.csv → current.csv",
        ReferenceRows = 1000,
        CurrentRows = 500,
        DriftedShare = (double)features.Count(f => f.Drifted) / features.Length,
        DatasetDrift = false,
        Features = features,
    };

    private static FeatureReport Feature(string name, bool drifted, double? statistic) => new(name, "numeric")
    {
        Method = statistic is null ? null : "wasserstein",
        Statistic = statistic,
        Threshold = statistic is null ? null : 0.1,
        Drifted = drifted,
    };

    [GeneratedRegex("=\"([^\"]*)\"")]
    private static partial Regex AttributeValue();

    [GeneratedRegex("<tr data-feature=\"([^\"]*)\">")]
    private static partial Regex TableRow();

    [GeneratedRegex("<section class=\"feature\" id=\"([^\"]*)\"")]
    private static partial Regex Section();
}
