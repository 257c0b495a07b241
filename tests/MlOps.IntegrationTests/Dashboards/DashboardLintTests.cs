namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// grafana/dashboard-linter's rules, each as a test over every dashboard of <c>dashboards/</c> (see
/// <see cref="DashboardRules"/> and <see cref="PanelRules"/>); a failure lists each problem with its dashboard and panel.
/// </summary>
public sealed class DashboardLintTests
{
    [Fact]
    public void The_dashboards_folder_holds_the_five_MlOps_dashboards() =>
        Assert.Equal(DashboardFiles.Expected, DashboardFiles.Present);

    [Fact]
    public void Uids_and_titles_are_unique_across_the_dashboards()
    {
        var dashboards = DashboardFiles.LoadAll();
        LintAssert.Clean(
            dashboards.GroupBy(d => Dashboard.Text(d.Json, "uid")).Where(g => g.Count() > 1)
                .Select(g => $"uid '{g.Key}' is used by {string.Join(", ", g.Select(d => d.File))}")
            .Concat(dashboards.GroupBy(d => d.Title).Where(g => g.Count() > 1)
                .Select(g => $"title '{g.Key}' is used by {string.Join(", ", g.Select(d => d.File))}")));
    }

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Has_a_uid_a_title_a_description_the_mlops_tag_and_a_current_schema_version(string file) =>
        LintAssert.Clean(DashboardRules.Identity(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Is_not_editable(string file) => LintAssert.Clean(DashboardRules.Uneditable(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Has_one_Prometheus_datasource_variable_named_datasource(string file) =>
        LintAssert.Clean(DashboardRules.TemplateDatasource(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Has_multi_select_job_and_instance_variables(string file) =>
        LintAssert.Clean(DashboardRules.TemplateJobAndInstance(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Query_variables_are_label_functions_over_valid_PromQL(string file) =>
        LintAssert.Clean(DashboardRules.TemplateLabelPromQl(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Query_variables_refresh_when_the_time_range_changes(string file) =>
        LintAssert.Clean(DashboardRules.TemplateRefreshOnTimeRange(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_variable_used_is_defined_and_every_variable_defined_is_used(string file) =>
        LintAssert.Clean(DashboardRules.VariablesDefinedAndUsed(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Panel_ids_are_unique(string file) => LintAssert.Clean(DashboardRules.UniquePanelIds(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_panel_and_target_uses_the_datasource_variable(string file) =>
        LintAssert.Clean(PanelRules.PanelDatasource(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_panel_has_a_title_and_a_description(string file) =>
        LintAssert.Clean(PanelRules.PanelTitleDescription(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_panel_has_a_valid_unit(string file) => LintAssert.Clean(PanelRules.PanelUnits(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_panel_has_targets_with_an_expression_and_a_unique_refId(string file) =>
        LintAssert.Clean(PanelRules.PanelTargets(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_target_is_valid_PromQL(string file) => LintAssert.Clean(PanelRules.TargetPromQl(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Rates_use_the_rate_interval(string file) => LintAssert.Clean(PanelRules.TargetRateInterval(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_selector_matches_the_job_and_instance_variables(string file) =>
        LintAssert.Clean(PanelRules.TargetJobAndInstance(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Counters_appear_only_inside_rate_irate_or_increase(string file) =>
        LintAssert.Clean(PanelRules.TargetCounterAggregation(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Histogram_buckets_appear_only_inside_histogram_quantile(string file) =>
        LintAssert.Clean(PanelRules.TargetHistogram(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Matchers_on_variable_labels_use_the_variable(string file) =>
        LintAssert.Clean(PanelRules.TargetVariableMatchers(DashboardFiles.Load(file)));

    [Theory]
    [MemberData(nameof(DashboardFiles.All), MemberType = typeof(DashboardFiles))]
    public void Every_series_queried_is_declared_in_the_source(string file) =>
        LintAssert.Clean(PanelRules.TargetMetricsDeclared(DashboardFiles.Load(file)));
}
