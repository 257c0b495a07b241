using System.Text;
using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>Files of the repository the deployment tests read, by their path from the repository root.</summary>
internal static class RepositoryFiles
{
    public const string Dockerfile = "deploy/docker/Dockerfile";
    public const string Compose = "deploy/docker-compose.yml";
    public const string PostgresInit = "deploy/docker/postgres-init.sql";
    public const string ComposeValidator = "deploy/validate-compose.sh";
    public const string PrometheusConfig = "deploy/prometheus/prometheus.yml";
    public const string AlertRules = "deploy/prometheus/rules/mlops-alerts.yml";
    public const string AlertmanagerConfig = "deploy/alertmanager/alertmanager.yml";
    public const string GrafanaProvisioning = "deploy/grafana/provisioning";
    public const string RabbitMqConfig = "deploy/rabbitmq/20-mlops.conf";
    public const string Dashboards = "dashboards";
    public const string Chart = "helm/mlops";
    public const string ChartProductionValues = "helm/mlops/values-production.yaml";
    public const string ChartAlertRules = "helm/mlops/files/mlops-alerts.yml";
    public const string ChartDashboards = "helm/mlops/dashboards";
    public const string FetchHelm = "helm/fetch-helm.sh";
    public const string Hosts = "src/hosts";

    /// <summary>The folder holding MlOps.sln, found upwards from the test assembly.</summary>
    public static string Root => RepositoryRoot.Path;

    public static string PathOf(string relative) => Path.Combine(Root, relative);

    public static string ReadText(string relative)
    {
        string path = PathOf(relative);
        Assert.True(File.Exists(path), $"{relative} is missing.");
        return File.ReadAllText(path, Encoding.UTF8);
    }

    /// <summary>The first document of a YAML file; its root must be a mapping.</summary>
    public static YamlMappingNode LoadYaml(string relative)
    {
        var documents = Yaml.LoadAll(ReadText(relative));
        Assert.True(documents.Count > 0, $"{relative} holds no YAML document.");
        return documents[0];
    }

    /// <summary>The service names of src/hosts/MlOps.X.Host: X.</summary>
    public static IReadOnlyList<string> HostServices() =>
        Directory.GetDirectories(PathOf(Hosts), "MlOps.*.Host")
            .Select(d => Path.GetFileName(d)["MlOps.".Length..^".Host".Length])
            .Order(StringComparer.Ordinal)
            .ToList();
}
