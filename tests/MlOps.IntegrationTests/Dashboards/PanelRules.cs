using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Panel and target rules of grafana/dashboard-linter (panel-datasource-rule, panel-title-description-rule,
/// panel-units-rule, panel-no-targets-rule, target-promql-rule, target-rate-interval-rule, target-job-rule,
/// target-instance-rule, target-counter-agg-rule, target-histogram-rule) plus two MlOps adds: label matchers of
/// variables use the variable, and every series queried is declared in src/. One message per problem, naming the
/// dashboard, the panel and the target.
/// </summary>
internal static class PanelRules
{
    /// <summary>Grafana's unit ids (grafana-data valueFormats/categories.ts), as the linter lists them.</summary>
    public static readonly HashSet<string> Units =
    [
        "none", "string", "short", "percent", "percentunit", "humidity", "dB", "hex0x", "hex", "sci", "locale", "pixel",
        "accMS2", "accFS2", "accG", "degree", "radian", "grad", "arcmin", "arcsec", "areaM2", "areaF2", "areaMI2",
        "flops", "mflops", "gflops", "tflops", "pflops", "eflops", "zflops", "yflops", "ppm", "conppb",
        "bytes", "decbytes", "bits", "decbits", "kbytes", "deckbytes", "mbytes", "decmbytes", "gbytes", "decgbytes",
        "tbytes", "dectbytes", "pbytes", "decpbytes", "pps", "binBps", "Bps", "binbps", "bps", "KiBs", "Kibits", "KBs",
        "Kbits", "MiBs", "Mibits", "MBs", "Mbits", "GiBs", "Gibits", "GBs", "Gbits", "TiBs", "Tibits", "TBs", "Tbits",
        "dateTimeAsIso", "dateTimeAsIsoNoDateIfToday", "dateTimeAsUS", "dateTimeAsUSNoDateIfToday", "dateTimeAsLocal",
        "dateTimeAsLocalNoDateIfToday", "dateTimeAsSystem", "dateTimeFromNow",
        "hertz", "ns", "µs", "ms", "s", "m", "h", "d", "dtdurationms", "dtdurations", "dthms", "dtdhms", "timeticks",
        "clockms", "clocks", "cps", "ops", "reqps", "rps", "wps", "iops", "cpm", "opm", "rpm", "wpm",
        "bool", "bool_yes_no", "bool_on_off",
    ];

    private static readonly HashSet<string> CounterFunctions = ["rate", "irate", "increase"];

    public static IEnumerable<string> PanelDatasource(Dashboard d)
    {
        foreach (var p in d.Panels.Where(p => !p.IsRow))
        {
            if (!DashboardRules.UsesDatasourceVariable(p.Json["datasource"]) || Dashboard.Text(p.Json["datasource"], "type") != "prometheus")
                yield return $"{p.Name}: datasource should be {{type: prometheus, uid: ${{datasource}}}}, is {p.Json["datasource"]?.ToJsonString() ?? "none"}";
            foreach (var t in p.Targets.Where(t => !DashboardRules.UsesDatasourceVariable(t.Json["datasource"])))
                yield return $"{t.Name}: datasource should use ${{datasource}}, is {t.Json["datasource"]?.ToJsonString() ?? "none"}";
        }
    }

    public static IEnumerable<string> PanelTitleDescription(Dashboard d) =>
        d.Panels.Where(p => !p.IsRow && (p.Title.Length == 0 || p.Description.Length == 0))
            .Select(p => $"{p.Name}: needs a title and a description, has title '{p.Title}' and description '{p.Description}'");

    /// <summary>Every panel that shows numbers has a valid unit (defaults, and any unit override).</summary>
    public static IEnumerable<string> PanelUnits(Dashboard d)
    {
        foreach (var p in d.Panels.Where(p => !p.IsRow && p.Type != "text"))
        {
            string unit = Dashboard.Text(p.Json["fieldConfig"]?["defaults"], "unit");
            if (!Units.Contains(unit))
                yield return $"{p.Name}: has no or an invalid unit in fieldConfig.defaults.unit: '{unit}'";
            var overrides = Dashboard.Array(p.Json["fieldConfig"] as JsonObject, "overrides")
                .SelectMany(o => Dashboard.Array(o, "properties")).Where(prop => Dashboard.Text(prop, "id") == "unit");
            foreach (var o in overrides.Where(o => !Units.Contains(Dashboard.Text(o, "value"))))
                yield return $"{p.Name}: an override sets the invalid unit '{Dashboard.Text(o, "value")}'";
        }
    }

    /// <summary>panel-no-targets-rule, and each target has an expression and its own refId.</summary>
    public static IEnumerable<string> PanelTargets(Dashboard d)
    {
        foreach (var p in d.Panels.Where(p => !p.IsRow && p.Type != "text"))
        {
            if (p.Targets.Count == 0)
                yield return $"{p.Name}: has no targets";
            foreach (var t in p.Targets.Where(t => t.Expr.Trim().Length == 0))
                yield return $"{t.Name}: has no expr";
            foreach (var refId in p.Targets.GroupBy(t => t.RefId).Where(g => g.Key.Length == 0 || g.Count() > 1))
                yield return $"{p.Name}: refId '{refId.Key}' is empty or used by {refId.Count()} targets";
        }
    }

    public static IEnumerable<string> TargetPromQl(Dashboard d)
    {
        foreach (var t in d.Targets)
        {
            string? error = null;
            try
            {
                PromQlParser.Parse(t.Expr);
            }
            catch (FormatException e)
            {
                error = e.Message;
            }

            if (error is not null)
                yield return $"{t.Name}: invalid PromQL '{t.Expr}': {error}";
        }
    }

    /// <summary>Every range inside rate() or irate() is $__rate_interval.</summary>
    public static IEnumerable<string> TargetRateInterval(Dashboard d) =>
        from x in Parsed(d)
        from n in PromQlNode.Walk(x.Node)
        where n.Node is MatrixSelector m && !IsRateInterval(m.Range) && n.Parents.Count > 0
              && n.Parents[^1] is Call { Function: "rate" or "irate" }
        select $"{x.Target.Name}: '{x.Target.Expr}' should use [$__rate_interval] in {((Call)n.Parents[^1]).Function}(), uses [{((MatrixSelector)n.Node).Range}]";

    /// <summary>target-job-rule and target-instance-rule: every selector has job=~"$job" and instance=~"$instance".</summary>
    public static IEnumerable<string> TargetJobAndInstance(Dashboard d) =>
        from x in Parsed(d)
        from s in Selectors(x.Node)
        from label in new[] { "job", "instance" }
        where !s.Matchers.Any(m => m.Label == label && m.Op == "=~" && m.Value is var v && (v == $"${label}" || v == $"${{{label}}}"))
        select $"{x.Target.Name}: selector {s} has no {label}=~\"${label}\" matcher";

    /// <summary>target-counter-agg-rule: counter series (_total, _count, _sum, _bucket) only inside rate/irate/increase over a range.</summary>
    public static IEnumerable<string> TargetCounterAggregation(Dashboard d) =>
        from x in Parsed(d)
        from n in PromQlNode.Walk(x.Node)
        where n.Node is VectorSelector s && IsCounter(s.Name)
              && !(n.Parents.Count >= 2 && n.Parents[^1] is MatrixSelector && n.Parents[^2] is Call c && CounterFunctions.Contains(c.Function))
        select $"{x.Target.Name}: counter '{((VectorSelector)n.Node).Name}' is not inside rate(), irate() or increase() in '{x.Target.Expr}'";

    /// <summary>target-histogram-rule: bucket series only inside histogram_quantile().</summary>
    public static IEnumerable<string> TargetHistogram(Dashboard d) =>
        from x in Parsed(d)
        from n in PromQlNode.Walk(x.Node)
        where n.Node is VectorSelector s && s.Name.EndsWith("_bucket", StringComparison.Ordinal)
              && !n.Parents.Any(p => p is Call { Function: "histogram_quantile" })
        select $"{x.Target.Name}: histogram series '{((VectorSelector)n.Node).Name}' is not inside histogram_quantile() in '{x.Target.Expr}'";

    /// <summary>
    /// A matcher on a label that a query variable is named after (job, instance, model, version) takes the variable:
    /// <c>=~"$name"</c> for a multi-select variable, <c>="$name"</c> for a single one — never a hard-coded value.
    /// </summary>
    public static IEnumerable<string> TargetVariableMatchers(Dashboard d)
    {
        var variables = d.Variables.Where(v => v.Type == "query").ToDictionary(v => v.Name, StringComparer.Ordinal);
        return from x in Parsed(d)
               from s in Selectors(x.Node)
               from m in s.Matchers
               where variables.ContainsKey(m.Label)
               let v = variables[m.Label]
               let op = v.Multi ? "=~" : "="
               where m.Op != op || (m.Value != $"${v.Name}" && m.Value != $"${{{v.Name}}}")
               select $"{x.Target.Name}: matcher {m} should be {m.Label}{op}\"${v.Name}\"";
    }

    /// <summary>Every series a target queries is declared in src/ (a renamed metric breaks the dashboard, not silently).</summary>
    public static IEnumerable<string> TargetMetricsDeclared(Dashboard d) =>
        from x in Parsed(d)
        from s in Selectors(x.Node)
        where s.Name.Length == 0 || !DashboardFiles.DeclaredMetrics.Contains(s.Name)
        select $"{x.Target.Name}: queries '{s.Name}', which no Metrics.Create… in src/ declares";

    private static bool IsRateInterval(string range) => range is "$__rate_interval" or "${__rate_interval}";

    private static bool IsCounter(string name) =>
        name.EndsWith("_total", StringComparison.Ordinal) || name.EndsWith("_count", StringComparison.Ordinal)
        || name.EndsWith("_sum", StringComparison.Ordinal) || name.EndsWith("_bucket", StringComparison.Ordinal);

    private static IEnumerable<VectorSelector> Selectors(PromQlNode node) =>
        PromQlNode.Walk(node).Select(n => n.Node).OfType<VectorSelector>();

    // Targets that parse; the PromQL rule reports the others.
    private static IEnumerable<(PanelTarget Target, PromQlNode Node)> Parsed(Dashboard d)
    {
        foreach (var t in d.Targets)
        {
            PromQlNode? node = null;
            try
            {
                node = PromQlParser.Parse(t.Expr);
            }
            catch (FormatException)
            {
                // Reported by TargetPromQl.
            }

            if (node is not null)
                yield return (t, node);
        }
    }
}
