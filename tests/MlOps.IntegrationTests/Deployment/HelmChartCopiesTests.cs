namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// Helm reads nothing outside its chart, so helm/mlops keeps copies of the alert rules and the dashboards; these tests keep
/// the copies identical to the originals (deploy/prometheus/rules, dashboards/).
/// </summary>
public sealed class HelmChartCopiesTests
{
    [Fact]
    public void The_chart_alert_rules_are_identical_to_deploy_prometheus_rules()
    {
        Assert.True(
            RepositoryFiles.ReadText(RepositoryFiles.AlertRules) == RepositoryFiles.ReadText(RepositoryFiles.ChartAlertRules),
            $"{RepositoryFiles.ChartAlertRules} differs from {RepositoryFiles.AlertRules}: cp {RepositoryFiles.AlertRules} {RepositoryFiles.ChartAlertRules}");
    }

    [Fact]
    public void Every_dashboard_has_an_identical_copy_in_the_chart_and_the_chart_no_other()
    {
        var originals = Directory.GetFiles(RepositoryFiles.PathOf(RepositoryFiles.Dashboards), "*.json").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        string copies = RepositoryFiles.PathOf(RepositoryFiles.ChartDashboards);
        var copied = Directory.Exists(copies)
            ? Directory.GetFiles(copies, "*.json").Select(Path.GetFileName).OfType<string>().ToHashSet(StringComparer.Ordinal)
            : [];
        string fix = $"cp {RepositoryFiles.Dashboards}/*.json {RepositoryFiles.ChartDashboards}/";
        Assert.True(originals.SetEquals(copied),
            $"dashboards/ has {string.Join(", ", originals.Order(StringComparer.Ordinal))}; the chart has {string.Join(", ", copied.Order(StringComparer.Ordinal))}. {fix} (and remove stale copies)");
        foreach (string name in originals)
        {
            Assert.True(
                RepositoryFiles.ReadText($"{RepositoryFiles.Dashboards}/{name}") == RepositoryFiles.ReadText($"{RepositoryFiles.ChartDashboards}/{name}"),
                $"{RepositoryFiles.ChartDashboards}/{name} differs from {RepositoryFiles.Dashboards}/{name}: {fix}");
        }
    }
}
