using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>The rules can fail: a dashboard that breaks each of them on purpose is reported by every rule.</summary>
public sealed class DashboardRuleSelfTests
{
    private const string Broken = """
        {
          "uid": "x", "title": "Broken", "tags": ["other"], "schemaVersion": 30, "editable": true,
          "templating": {"list": [
            {"name": "ds", "type": "datasource", "label": "DS", "query": "loki"},
            {"name": "job", "type": "custom", "label": "job", "multi": false},
            {"name": "model", "type": "query", "datasource": {"uid": "${ds}"}, "query": "label_values(mlops_renamed_total{, model)", "refresh": 1},
            {"name": "unused", "type": "query", "query": "label_values(up, job)", "refresh": 2}
          ]},
          "panels": [
            {"id": 1, "type": "timeseries", "title": "", "datasource": {"type": "prometheus", "uid": "prometheus"},
             "fieldConfig": {"defaults": {"unit": "furlongs"}, "overrides": []},
             "targets": [
               {"refId": "A", "datasource": {"uid": "prometheus"}, "expr": "sum(mlops_predictions_total{model=\"churn\"})"},
               {"refId": "A", "expr": "rate(mlops_outcomes_total{job=~\"$job\"}[5m]) + sum(mlops_label_delay_seconds_bucket) + mlops_renamed_ratio"},
               {"refId": "C", "expr": "up{job=~\"$job\", instance=~\"$instance\", x=\"$missing\"}"}
             ]},
            {"id": 1, "type": "stat", "title": "No targets", "description": "d", "targets": []},
            {"id": 2, "type": "stat", "title": "Bad PromQL", "description": "d", "targets": [{"refId": "A", "expr": "sum(rate(x_total[$__rate_interval])"}]}
          ]
        }
        """;

    public static TheoryData<string> Rules =>
    [
        nameof(DashboardRules.Identity), nameof(DashboardRules.Uneditable), nameof(DashboardRules.TemplateDatasource),
        nameof(DashboardRules.TemplateJobAndInstance), nameof(DashboardRules.TemplateLabelPromQl),
        nameof(DashboardRules.TemplateRefreshOnTimeRange), nameof(DashboardRules.VariablesDefinedAndUsed),
        nameof(DashboardRules.UniquePanelIds), nameof(PanelRules.PanelDatasource), nameof(PanelRules.PanelTitleDescription),
        nameof(PanelRules.PanelUnits), nameof(PanelRules.PanelTargets), nameof(PanelRules.TargetPromQl),
        nameof(PanelRules.TargetRateInterval), nameof(PanelRules.TargetJobAndInstance), nameof(PanelRules.TargetCounterAggregation),
        nameof(PanelRules.TargetHistogram), nameof(PanelRules.TargetVariableMatchers), nameof(PanelRules.TargetMetricsDeclared),
    ];

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_rule_reports_the_broken_dashboard(string rule)
    {
        var dashboard = new Dashboard("broken.json", (JsonObject)JsonNode.Parse(Broken)!);
        var method = typeof(DashboardRules).GetMethod(rule) ?? typeof(PanelRules).GetMethod(rule)!;
        var problems = ((IEnumerable<string>)method.Invoke(null, [dashboard])!).ToList();
        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Contains("broken.json", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("histogram_quantile(0.9, sum by (le) (rate(a_bucket{job=~\"$job\"}[$__rate_interval])))")]
    [InlineData("count(up{job=~\"$job\"} == 0) or vector(0)")]
    [InlineData("sum without (instance) (increase(a_total[$__range])) / ignoring (x) group_left b > bool 1")]
    [InlineData("-a ^ 2 ^ 3 % 4 and on () topk(3, {__name__=~\"mlops_.+\"} offset 5m)")]
    public void The_parser_reads_valid_PromQL(string expression) => PromQlParser.Parse(expression);

    [Theory]
    [InlineData("rate(a_total)")]
    [InlineData("sum(rate(a_total[$__rate_interval])")]
    [InlineData("a{job=$job}")]
    [InlineData("{job=~\".*\"}")]
    [InlineData("nosuchfunction(a)")]
    [InlineData("topk(a)")]
    public void The_parser_rejects_invalid_PromQL(string expression) =>
        Assert.Throws<FormatException>(() => PromQlParser.Parse(expression));
}
