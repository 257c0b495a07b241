using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// helm/mlops through the real Helm 4 (helm/fetch-helm.sh): lint --strict and template with the default and the production
/// values, then the rendered manifests — every service's Deployment, Service and ConfigMap, the monitor's HPA within the
/// Kafka partitions, probes on the health endpoints, resources, pinned images, non-root pods, real configuration keys,
/// secrets only by reference, and the Prometheus Operator and Grafana objects.
/// </summary>
public sealed partial class HelmChartTests
{
    public static TheoryData<string> Variants => new() { "default", "production" };

    private static readonly string[] SecretSuffixes = ["PASSWORD", "KEYSHA256", "APIKEY", "SECRET", "SIGNINGKEY"];

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Helm_lint_strict_passes(string variant)
    {
        string output = await Tools.HelmOkAsync(["lint", "--strict", RepositoryFiles.Chart, .. HelmRender.ValuesArguments(variant)]);
        Assert.Contains("0 chart(s) failed", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_service_has_a_Deployment_a_Service_and_a_ConfigMap_and_the_monitor_an_HPA(string variant)
    {
        var manifests = await HelmRender.ManifestsAsync(variant);
        var expected = HelmRender.ServiceKeys().Select(s => $"{HelmRender.Release}-{s}").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(5, expected.Count);
        Assert.Equal(expected, Names(manifests, "Deployment"));
        Assert.Equal(expected, Names(manifests, "Service"));
        Assert.Subset(Names(manifests, "ConfigMap").ToHashSet(StringComparer.Ordinal), expected.ToHashSet(StringComparer.Ordinal));
        var hpa = Assert.Single(HelmRender.OfKind(manifests, "HorizontalPodAutoscaler"));
        Assert.Equal($"{HelmRender.Release}-monitoring", Yaml.Text(hpa, "spec", "scaleTargetRef", "name"));
        Assert.Empty(HelmRender.OfKind(manifests, "Secret"));

        bool production = variant == "production";
        Assert.Equal(production ? 1 : 0, HelmRender.OfKind(manifests, "ServiceMonitor").Count());
        Assert.Equal(production ? 1 : 0, HelmRender.OfKind(manifests, "PrometheusRule").Count());
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_container_probes_health_live_for_liveness_and_health_ready_for_readiness(string variant)
    {
        foreach (var (deployment, container) in Containers(await HelmRender.ManifestsAsync(variant)))
        {
            string where = $"{HelmRender.NameOf(deployment)}/{Yaml.Text(container, "name")}";
            Assert.True(Yaml.Text(container, "livenessProbe", "httpGet", "path") == "/health/live", $"{where}: liveness probe is not GET /health/live");
            Assert.True(Yaml.Text(container, "readinessProbe", "httpGet", "path") == "/health/ready", $"{where}: readiness probe is not GET /health/ready");
            var http = Yaml.Items(container, "ports").SingleOrDefault(p => Yaml.Text(p, "name") == "http");
            Assert.True(http is not null, $"{where}: no port named http");
            Assert.Equal("http", Yaml.Text(container, "livenessProbe", "httpGet", "port"));
            Assert.Equal("http", Yaml.Text(container, "readinessProbe", "httpGet", "port"));
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_container_requests_cpu_and_memory_and_limits_memory(string variant)
    {
        foreach (var (deployment, container) in Containers(await HelmRender.ManifestsAsync(variant)))
        {
            string where = $"{HelmRender.NameOf(deployment)}/{Yaml.Text(container, "name")}";
            Assert.False(string.IsNullOrEmpty(Yaml.Text(container, "resources", "requests", "cpu")), $"{where}: no cpu request");
            Assert.False(string.IsNullOrEmpty(Yaml.Text(container, "resources", "requests", "memory")), $"{where}: no memory request");
            Assert.False(string.IsNullOrEmpty(Yaml.Text(container, "resources", "limits", "memory")), $"{where}: no memory limit");
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_image_names_a_version_and_the_default_is_the_app_version(string variant)
    {
        string appVersion = Yaml.Text(RepositoryFiles.LoadYaml($"{RepositoryFiles.Chart}/Chart.yaml"), "appVersion") ?? "";
        Assert.NotEmpty(appVersion);
        foreach (var (deployment, container) in Containers(await HelmRender.ManifestsAsync(variant)))
        {
            string image = Yaml.Text(container, "image") ?? "";
            string tag = ImageTag(image);
            Assert.True(tag.Length > 0 && tag != "latest", $"{HelmRender.NameOf(deployment)}: image '{image}' names no version");
            if (variant == "default")
                Assert.Equal(appVersion, tag);
        }
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_pod_runs_as_a_non_root_user_without_privilege_escalation(string variant)
    {
        foreach (var (deployment, container) in Containers(await HelmRender.ManifestsAsync(variant)))
        {
            string where = HelmRender.NameOf(deployment);
            var pod = Yaml.Map(deployment, "spec", "template", "spec", "securityContext");
            var own = Yaml.Map(container, "securityContext");
            Assert.True(Yaml.Text(own, "runAsNonRoot") == "true" || Yaml.Text(pod, "runAsNonRoot") == "true", $"{where}: runAsNonRoot is not set");
            Assert.NotEqual("0", Yaml.Text(own, "runAsUser") ?? Yaml.Text(pod, "runAsUser"));
            Assert.Equal("false", Yaml.Text(own, "allowPrivilegeEscalation"));
            Assert.Equal("true", Yaml.Text(own, "readOnlyRootFilesystem"));
            Assert.Equal("false", Yaml.Text(deployment, "spec", "template", "spec", "automountServiceAccountToken"));
        }
    }

    [Theory]
    [InlineData("default", "")]
    [InlineData("production", "")]
    [InlineData("default", "services.monitoring.autoscaling.maxReplicas=50")]
    [InlineData("default", "kafka.partitions=3")]
    public async Task The_monitor_never_scales_beyond_the_Kafka_partitions(string variant, string set)
    {
        string[] sets = set.Length == 0 ? [] : [set];
        var manifests = await HelmRender.ManifestsAsync(variant, sets);
        string? setPartitions = sets.Select(s => s.Split('=')).Where(p => p[0] == "kafka.partitions").Select(p => p[1]).FirstOrDefault();
        int partitions = int.Parse(setPartitions ?? HelmRender.Value(variant, "kafka", "partitions")!, System.Globalization.CultureInfo.InvariantCulture);
        var hpa = Assert.Single(HelmRender.OfKind(manifests, "HorizontalPodAutoscaler"));
        int max = int.Parse(Yaml.Text(hpa, "spec", "maxReplicas")!, System.Globalization.CultureInfo.InvariantCulture);
        int min = int.Parse(Yaml.Text(hpa, "spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(max, min, partitions);
        var monitor = HelmRender.OfKind(manifests, "Deployment").Single(d => HelmRender.NameOf(d) == $"{HelmRender.Release}-monitoring");
        Assert.Null(Yaml.Get(Yaml.Get(monitor, "spec"), "replicas"));
    }

    [Theory]
    [InlineData("image.tag=latest")]
    [InlineData("services.training.image.tag=latest")]
    [InlineData("services.monitoring.autoscaling.minReplicas=8")]
    public async Task Values_that_would_break_the_deployment_are_refused(string set)
    {
        var result = await Tools.RunHelmAsync("template", HelmRender.Release, RepositoryFiles.Chart, "--set", set);
        Assert.True(result.ExitCode != 0, $"helm accepted --set {set}:\n{result.Transcript}");
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Every_MLOPS_variable_the_chart_sets_names_a_real_configuration_key(string variant)
    {
        var manifests = await HelmRender.ManifestsAsync(variant);
        var names = HelmRender.OfKind(manifests, "ConfigMap").SelectMany(c => Yaml.Entries(c, "data").Select(e => e.Key))
            .Concat(Containers(manifests).SelectMany(c => Yaml.Items(c.Container, "env").Select(e => Yaml.Text(e, "name") ?? "")))
            .Where(n => n.StartsWith("MLOPS__", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        Assert.Contains("MLOPS__STORAGE__CONNECTIONSTRING", names);
        var unknown = names.Where(n => !ConfigurationKeys.IsKnownEnvironmentVariable(n)).ToList();
        Assert.True(unknown.Count == 0, $"not configuration keys: {string.Join(", ", unknown)}");
        Assert.DoesNotContain(names, n => n.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Secrets_come_only_from_the_existing_secrets_named_in_the_values(string variant)
    {
        var manifests = await HelmRender.ManifestsAsync(variant);
        var allowed = new[] { "postgres", "rabbitmq", "auth", "alerts" }
            .Select(block => HelmRender.Value(variant, block, "existingSecret")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (deployment, container) in Containers(manifests))
        {
            foreach (var env in Yaml.Items(container, "env"))
            {
                string name = Yaml.Text(env, "name") ?? "";
                string? secret = Yaml.Text(env, "valueFrom", "secretKeyRef", "name");
                if (secret is not null && !allowed.Contains(secret))
                    problems.Add($"{HelmRender.NameOf(deployment)}: {name} reads secret {secret}, not one of {string.Join(", ", allowed)}");
                if (SecretSuffixes.Any(s => name.EndsWith(s, StringComparison.Ordinal)) && secret is null)
                    problems.Add($"{HelmRender.NameOf(deployment)}: {name} is not read from a Secret");
            }
        }

        foreach (var configMap in HelmRender.OfKind(manifests, "ConfigMap"))
        {
            foreach (var (key, _) in Yaml.Entries(configMap, "data").Where(e => SecretSuffixes.Any(s => e.Key.EndsWith(s, StringComparison.Ordinal))))
                problems.Add($"ConfigMap {HelmRender.NameOf(configMap)}: {key} is a secret in plain text");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Services_call_each_other_by_the_rendered_Service_names_and_ports(string variant)
    {
        var manifests = await HelmRender.ManifestsAsync(variant);
        var services = HelmRender.OfKind(manifests, "Service").ToDictionary(
            HelmRender.NameOf, s => Yaml.Items(s, "spec", "ports").Select(p => Yaml.Text(p, "port")).ToList(), StringComparer.Ordinal);
        var urls = HelmRender.OfKind(manifests, "ConfigMap").SelectMany(c => Yaml.Entries(c, "data"))
            .Where(e => e.Key.EndsWith("__REGISTRYURL", StringComparison.Ordinal) || e.Key.EndsWith("__MONITORINGURL", StringComparison.Ordinal))
            .Select(e => ((YamlScalarNode)e.Value).Value ?? "")
            .ToList();
        Assert.True(urls.Count >= 5, $"only {urls.Count} service URLs rendered");
        foreach (string url in urls)
        {
            var match = InClusterUrl().Match(url);
            Assert.True(match.Success, $"'{url}' is not http://service:port");
            Assert.True(services.TryGetValue(match.Groups["host"].Value, out var ports) && ports.Contains(match.Groups["port"].Value),
                $"{url}: no Service {match.Groups["host"].Value} with port {match.Groups["port"].Value}");
        }

        // Each container listens (URLS) on its Service's port.
        foreach (var configMap in HelmRender.OfKind(manifests, "ConfigMap").Where(c => services.ContainsKey(HelmRender.NameOf(c))))
            Assert.Equal($"http://+:{services[HelmRender.NameOf(configMap)].Single()}", Yaml.Text(configMap, "data", "URLS"));
    }

    [Fact]
    public async Task The_PrometheusRule_carries_the_alert_rules_of_deploy_prometheus()
    {
        var rule = Assert.Single(HelmRender.OfKind(await HelmRender.ManifestsAsync("production"), "PrometheusRule"));
        var rendered = Yaml.Items(rule, "spec", "groups");
        var source = Yaml.Items(RepositoryFiles.LoadYaml(RepositoryFiles.AlertRules), "groups");
        Assert.NotEmpty(source);
        Assert.Equal(Describe(source), Describe(rendered));

        var monitor = Assert.Single(HelmRender.OfKind(await HelmRender.ManifestsAsync("production"), "ServiceMonitor"));
        var endpoint = Assert.Single(Yaml.Items(monitor, "spec", "endpoints"));
        Assert.Equal("/metrics", Yaml.Text(endpoint, "path"));
        Assert.Equal("http", Yaml.Text(endpoint, "port"));
    }

    [Fact]
    public async Task Every_chart_dashboard_renders_as_a_ConfigMap_for_the_Grafana_sidecar()
    {
        var manifests = await HelmRender.ManifestsAsync("default");
        var dashboards = HelmRender.OfKind(manifests, "ConfigMap").Where(c => Yaml.Text(c, "metadata", "labels", "grafana_dashboard") == "1").ToList();
        var files = Directory.GetFiles(RepositoryFiles.PathOf(RepositoryFiles.ChartDashboards), "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files.Count, dashboards.Count);
        foreach (string file in files)
        {
            string name = Path.GetFileName(file);
            var configMap = dashboards.SingleOrDefault(d => Yaml.Get(Yaml.Get(d, "data"), name) is not null);
            Assert.True(configMap is not null, $"no dashboard ConfigMap holds {name}");
            Assert.Equal(File.ReadAllText(file).TrimEnd('\n'), Yaml.Text(configMap, "data", name));
        }
    }

    private static List<string> Names(IEnumerable<YamlMappingNode> manifests, string kind) =>
        HelmRender.OfKind(manifests, kind).Select(HelmRender.NameOf).Where(n => n.Length > 0).Order(StringComparer.Ordinal).ToList();

    private static IEnumerable<(YamlMappingNode Deployment, YamlNode Container)> Containers(IEnumerable<YamlMappingNode> manifests)
    {
        var deployments = HelmRender.OfKind(manifests, "Deployment").ToList();
        Assert.NotEmpty(deployments);
        foreach (var deployment in deployments)
        {
            var containers = Yaml.Items(deployment, "spec", "template", "spec", "containers");
            Assert.NotEmpty(containers);
            foreach (var container in containers)
                yield return (deployment, container);
        }
    }

    private static string ImageTag(string image)
    {
        string last = image[(image.LastIndexOf('/') + 1)..];
        int colon = last.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? "" : last[(colon + 1)..];
    }

    private static List<string> Describe(IEnumerable<YamlNode> groups) =>
        groups.SelectMany(g => Yaml.Items(g, "rules").Select(r =>
            $"{Yaml.Text(g, "name")}/{Yaml.Text(r, "alert") ?? Yaml.Text(r, "record")}: {Yaml.Text(r, "expr")} for {Yaml.Text(r, "for")}")).ToList();

    [GeneratedRegex(@"^http://(?<host>[a-z0-9-]+):(?<port>\d+)$")]
    private static partial Regex InClusterUrl();
}
