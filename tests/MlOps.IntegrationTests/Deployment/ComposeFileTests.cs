using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// deploy/docker-compose.yml: valid against the Compose Specification's JSON Schema (deploy/validate-compose.sh, Ajv), and
/// consistent with the platform — real configuration keys only, no port clashes, health checks on /health/ready, waits on
/// health, pinned images, development keys whose hashes match, and the paths the other deploy files expect.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] Topics = ["mlops.predictions", "mlops.outcomes", "mlops.dlq", "mlops.model-lifecycle"];
    private static readonly string[] Roles = ["viewer", "approver", "admin"];

    [Fact]
    public async Task The_compose_file_is_valid_against_the_compose_specification_schema()
    {
        var result = await Tools.ValidateComposeAsync(RepositoryFiles.PathOf(RepositoryFiles.Compose));
        Assert.True(result.ExitCode == 0, result.Transcript);
        Assert.Contains("valid", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_schema_validator_rejects_a_compose_file_that_breaks_the_specification()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mlops-compose-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(path, "services:\n  web:\n    image: nginx:1.27\n    healthcheck:\n      command: [true]\n    depends_on:\n      db:\n        condition: eventually\n");
        try
        {
            var result = await Tools.ValidateComposeAsync(path);
            Assert.True(result.ExitCode == 1, result.Transcript);
            Assert.Contains("/services/web/healthcheck", result.Error, StringComparison.Ordinal);
            Assert.Contains("/services/web/depends_on/db/condition", result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Every_MLOPS_variable_names_a_real_configuration_key()
    {
        var problems = new List<string>();
        foreach (var (name, service) in ComposeFile.Services)
        {
            foreach (string key in ComposeFile.Environment(service).Keys)
            {
                if (key.StartsWith("MLOPS__", StringComparison.OrdinalIgnoreCase))
                {
                    if (!ConfigurationKeys.IsKnownEnvironmentVariable(key))
                        problems.Add($"{name}: {key} is no configuration key ({ConfigurationKeys.FromEnvironmentVariable(key)} is not a settable property of an options class)");
                }
                else if (key.StartsWith("MLOPS_", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{name}: {key} has one underscore after MLOPS: configuration keys are MLOPS__SECTION__KEY");
                }
                else if (key.Equals("ASPNETCORE_URLS", StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add($"{name}: ASPNETCORE_URLS is overridden by the host's appsettings.json \"Urls\"; the image sets URLS");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void No_two_services_publish_the_same_host_port()
    {
        var published = ComposeFile.Services
            .SelectMany(s => ComposeFile.Ports(s.Service).Select(p => (s.Name, p.HostPort)))
            .GroupBy(p => p.HostPort)
            .Where(g => g.Count() > 1)
            .Select(g => $"host port {g.Key}: {string.Join(", ", g.Select(p => p.Name))}")
            .ToList();
        Assert.True(published.Count == 0, string.Join('\n', published));
        Assert.NotEmpty(ComposeFile.Services.SelectMany(s => ComposeFile.Ports(s.Service)));
    }

    [Fact]
    public void Every_host_is_built_from_the_Dockerfile_listens_on_its_port_and_checks_health_ready()
    {
        foreach (var (host, port) in HostPorts.All)
        {
            string name = ComposeFile.ServiceNameOf(host);
            var service = ComposeFile.Service(name);
            Assert.Equal("deploy/docker/Dockerfile", Yaml.Text(service, "build", "dockerfile"));
            Assert.Equal("..", Yaml.Text(service, "build", "context"));
            var args = ComposeFile.BuildArgs(service);
            Assert.Equal(host, args.GetValueOrDefault("SERVICE"));
            Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), args.GetValueOrDefault("PORT"));
            Assert.All(ComposeFile.Ports(service), p => Assert.Equal(port, p.ContainerPort));

            string test = string.Join(' ', Yaml.At(service, "healthcheck", "test") is YamlSequenceNode
                ? Yaml.Strings(service, "healthcheck", "test")
                : [Yaml.Text(service, "healthcheck", "test") ?? ""]);
            Assert.True(test.Contains("/health/ready", StringComparison.Ordinal), $"{name}: the healthcheck does not ask /health/ready: {test}");
            Assert.True(Regex.IsMatch(test, $@"(?<![0-9]){port}(?![0-9])"), $"{name}: the healthcheck does not call port {port}: {test}");
            Assert.Matches(@"^\d+s$", Yaml.Text(service, "healthcheck", "start_period") ?? "");
        }
    }

    [Fact]
    public void Every_dependency_waits_for_health_or_completion()
    {
        var problems = new List<string>();
        foreach (var (name, service) in ComposeFile.Services)
        {
            if (Yaml.At(service, "depends_on") is YamlSequenceNode)
            {
                problems.Add($"{name}: depends_on lists names only; give each a condition");
                continue;
            }

            foreach (var (dependency, settings) in Yaml.Entries(service, "depends_on"))
            {
                var target = Yaml.Map(ComposeFile.Root, "services", dependency);
                string condition = Yaml.Text(settings, "condition") ?? "";
                if (target is null)
                    problems.Add($"{name}: depends on unknown service {dependency}");
                else if (condition == "service_healthy" && Yaml.Get(target, "healthcheck") is null)
                    problems.Add($"{name}: waits for {dependency} to be healthy, which has no healthcheck");
                else if (condition == "service_completed_successfully" && Yaml.Text(target, "restart") != "no")
                    problems.Add($"{name}: waits for {dependency} to complete, which does not set restart: \"no\"");
                else if (condition is not ("service_healthy" or "service_completed_successfully"))
                    problems.Add($"{name}: waits for {dependency} with '{condition}', not for health or completion");
            }
        }

        foreach (string host in HostPorts.All.Keys)
        {
            var dependencies = Yaml.Entries(ComposeFile.Service(ComposeFile.ServiceNameOf(host)), "depends_on").Select(e => e.Key).ToList();
            if (!dependencies.Contains("postgres") || !dependencies.Contains("rabbitmq"))
                problems.Add($"{ComposeFile.ServiceNameOf(host)}: does not wait for postgres and rabbitmq");
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Fact]
    public void Every_image_names_a_version_or_is_built_here()
    {
        foreach (var (name, service) in ComposeFile.Services)
        {
            string? image = Yaml.Text(service, "image");
            bool built = Yaml.Get(service, "build") is not null;
            Assert.True(image is not null || built, $"{name}: neither image nor build");
            if (image is null)
                continue;
            string resolved = ComposeVariables.WithDefaults(image);
            string lastPart = resolved[(resolved.LastIndexOf('/') + 1)..];
            int colon = lastPart.IndexOf(':', StringComparison.Ordinal);
            string tag = colon < 0 ? "" : lastPart[(colon + 1)..];
            Assert.True(tag.Length > 0 && tag != "latest", $"{name}: image '{resolved}' has no version tag");
        }
    }

    [Fact]
    public void Every_variable_has_a_development_default_and_each_key_matches_its_hash()
    {
        string text = RepositoryFiles.ReadText(RepositoryFiles.Compose);
        var references = ComposeVariables.References(text).ToList();
        Assert.NotEmpty(references);
        var problems = references.Where(r => r.Default is null).Select(r => $"${{{r.Name}}} has no default").Distinct().ToList();

        foreach (var reference in references.DistinctBy(r => (r.Name, r.Default)))
        {
            var hash = KeyHashVariable().Match(reference.Name);
            var key = KeyVariable().Match(reference.Name);
            if (hash.Success)
            {
                string devKey = DevelopmentKey(hash.Groups["name"].Value);
                string expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(devKey)));
                if (reference.Default != expected)
                    problems.Add($"{reference.Name} defaults to {reference.Default}, not the SHA-256 of {devKey} ({expected})");
            }
            else if (key.Success)
            {
                string devKey = DevelopmentKey(key.Groups["name"].Value);
                if (reference.Default != devKey)
                    problems.Add($"{reference.Name} defaults to '{reference.Default}', not {devKey}");
                if (!references.Any(r => r.Name == $"{reference.Name}_SHA256"))
                    problems.Add($"{reference.Name} is sent but no service accepts it ({reference.Name}_SHA256 is not used)");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [InlineData("mlops-monitoring", "MLOPS__MONITORING__REGISTRYAPIKEY", "mlops-registry", "viewer")]
    [InlineData("mlops-orchestration", "MLOPS__ORCHESTRATION__REGISTRYAPIKEY", "mlops-registry", "approver")]
    [InlineData("mlops-orchestration", "MLOPS__ORCHESTRATION__MONITORINGAPIKEY", "mlops-monitoring", "viewer")]
    [InlineData("mlops-training", "MLOPS__TRAINING__REGISTRYAPIKEY", "mlops-registry", "admin")]
    [InlineData("mlops-training", "MLOPS__TRAINING__MONITORINGAPIKEY", "mlops-monitoring", "viewer")]
    public void Every_key_a_service_sends_is_accepted_by_its_target_with_the_role_it_needs(string caller, string setting, string target, string role)
    {
        string sent = ComposeFile.Environment(ComposeFile.Service(caller)).GetValueOrDefault(setting) ?? "";
        var variable = ComposeVariables.References(sent).SingleOrDefault();
        Assert.True(variable is not null, $"{caller}: {setting} is not a ${{MLOPS_…_KEY:-…}} variable ('{sent}')");
        string? accepted = AcceptedRole(target, variable.Name);
        Assert.True(Array.IndexOf(Roles, accepted) >= Array.IndexOf(Roles, role),
            $"{target} gives ${{{variable.Name}}} the role {accepted}; {caller} needs {role} at least");
    }

    [Fact]
    public void Alertmanager_sends_a_key_the_notification_service_accepts_as_approver_from_the_file_its_config_names()
    {
        var receiver = Yaml.Items(RepositoryFiles.LoadYaml(RepositoryFiles.AlertmanagerConfig), "receivers")
            .Single(r => Yaml.Items(r, "webhook_configs").Any(w => (Yaml.Text(w, "url") ?? "").Contains("mlops-notifications", StringComparison.Ordinal)));
        var webhook = Yaml.Items(receiver, "webhook_configs").Single();
        Assert.Equal($"http://mlops-notifications:{HostPorts.All["Notifications"]}/api/alerts/alertmanager", Yaml.Text(webhook, "url"));
        string credentialsFile = Yaml.Text(webhook, "http_config", "authorization", "credentials_file") ?? "";

        var alertmanager = ComposeFile.Service("alertmanager");
        var mount = Yaml.Items(alertmanager, "configs").Concat(Yaml.Items(alertmanager, "secrets"))
            .SingleOrDefault(c => Yaml.Text(c, "target") == credentialsFile);
        Assert.True(mount is not null, $"alertmanager: nothing is mounted at {credentialsFile}, the credentials_file of alertmanager.yml");
        string content = Yaml.Text(ComposeFile.Root, "configs", Yaml.Text(mount, "source")!, "content") ?? "";
        var variable = ComposeVariables.References(content).Single();
        Assert.Contains(AcceptedRole("mlops-notifications", variable.Name), new[] { "approver", "admin" });
    }

    [Fact]
    public void Services_call_each_other_by_their_compose_names_and_ports()
    {
        var problems = new List<string>();
        var urls = ComposeFile.Services.SelectMany(s => ComposeFile.Environment(s.Service).Values.Select(v => (From: s.Name, Value: v)))
            .Concat(Yaml.Items(RepositoryFiles.LoadYaml(RepositoryFiles.PrometheusConfig), "scrape_configs")
                .SelectMany(job => Yaml.Items(job, "static_configs")).SelectMany(c => Yaml.Strings(c, "targets"))
                .Select(t => (From: "prometheus.yml", Value: $"http://{t}")))
            .Concat(Directory.GetFiles(RepositoryFiles.PathOf($"{RepositoryFiles.GrafanaProvisioning}/datasources"), "*.y*ml")
                .SelectMany(f => Yaml.Items(Yaml.LoadAll(File.ReadAllText(f))[0], "datasources"))
                .Select(d => (From: "grafana datasources", Value: Yaml.Text(d, "url") ?? "")));
        int checkedUrls = 0;
        foreach (var (from, value) in urls)
        {
            foreach (Match url in ServiceUrl().Matches(value))
            {
                string host = url.Groups["host"].Value;
                int port = int.Parse(url.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                checkedUrls++;
                var target = Yaml.Map(ComposeFile.Root, "services", host);
                if (target is null)
                {
                    problems.Add($"{from}: {url.Value} names no compose service");
                    continue;
                }

                string? listens = ComposeFile.BuildArgs(target).GetValueOrDefault("PORT");
                bool known = listens is not null
                    ? listens == port.ToString(System.Globalization.CultureInfo.InvariantCulture)
                    : KnownPorts.TryGetValue(host, out int[]? ports) && ports.Contains(port);
                if (!known)
                    problems.Add($"{from}: {url.Value}: {host} does not listen on {port}");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.True(checkedUrls >= 10, $"only {checkedUrls} URLs found");
    }

    [Fact]
    public void Every_bind_mount_source_exists_and_Grafana_reads_dashboards_where_its_provisioning_looks()
    {
        string deploy = RepositoryFiles.PathOf("deploy");
        foreach (var (name, service) in ComposeFile.Services)
        {
            foreach (string volume in Yaml.Strings(service, "volumes").Where(v => v.StartsWith('.')))
            {
                string source = Path.GetFullPath(Path.Combine(deploy, volume.Split(':')[0]));
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{name}: mount source {volume.Split(':')[0]} does not exist ({source})");
            }
        }

        var grafana = Yaml.Strings(ComposeFile.Service("grafana"), "volumes").Select(v => v.Split(':')).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal("/etc/grafana/provisioning", grafana.GetValueOrDefault("./grafana/provisioning"));
        string dashboards = grafana.GetValueOrDefault("../dashboards") ?? "";
        var providers = Directory.GetFiles(RepositoryFiles.PathOf($"{RepositoryFiles.GrafanaProvisioning}/dashboards"), "*.y*ml")
            .SelectMany(f => Yaml.Items(Yaml.LoadAll(File.ReadAllText(f))[0], "providers")).ToList();
        Assert.NotEmpty(providers);
        Assert.All(providers, p => Assert.Equal(dashboards, Yaml.Text(p, "options", "path")));

        var prometheus = ComposeFile.Service("prometheus");
        Assert.Contains("./prometheus:/etc/prometheus:ro", Yaml.Strings(prometheus, "volumes"));
        Assert.Contains("--config.file=/etc/prometheus/prometheus.yml", Yaml.Strings(prometheus, "command"));
        Assert.Contains("./alertmanager/alertmanager.yml:/etc/alertmanager/alertmanager.yml:ro", Yaml.Strings(ComposeFile.Service("alertmanager"), "volumes"));
    }

    // The trainer holds a TrainModel delivery for the whole training: RabbitMQ must not close the channel first.
    [Fact]
    public void RabbitMQ_keeps_an_unacknowledged_delivery_longer_than_the_longest_training_budget()
    {
        Assert.Contains("./rabbitmq/20-mlops.conf:/etc/rabbitmq/conf.d/20-mlops.conf:ro", Yaml.Strings(ComposeFile.Service("rabbitmq"), "volumes"));
        var setting = ConsumerTimeout().Match(RepositoryFiles.ReadText(RepositoryFiles.RabbitMqConfig));
        Assert.True(setting.Success, $"{RepositoryFiles.RabbitMqConfig} sets no consumer_timeout");
        var budget = typeof(Contracts.Retraining.RetrainingPolicy).GetProperty(nameof(Contracts.Retraining.RetrainingPolicy.TimeBudgetSeconds))!
            .GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.RangeAttribute), inherit: false).Cast<System.ComponentModel.DataAnnotations.RangeAttribute>().Single();
        var longest = TimeSpan.FromSeconds(Convert.ToDouble(budget.Maximum, System.Globalization.CultureInfo.InvariantCulture));
        // Reading the examples and registering the challenger come on top of the search's budget.
        Assert.True(TimeSpan.FromMilliseconds(long.Parse(setting.Groups["ms"].Value, System.Globalization.CultureInfo.InvariantCulture)) >= longest + TimeSpan.FromHours(1),
            $"consumer_timeout {setting.Groups["ms"].Value} ms is not an hour above the longest training budget ({longest})");
    }

    [Fact]
    public void Each_host_has_its_own_PostgreSQL_database_created_by_the_init_script()
    {
        string init = RepositoryFiles.ReadText(RepositoryFiles.PostgresInit);
        var databases = new List<string>();
        foreach (string host in HostPorts.All.Keys)
        {
            var environment = ComposeFile.Environment(ComposeFile.Service(ComposeFile.ServiceNameOf(host)));
            Assert.Equal("Postgres", environment.GetValueOrDefault("MLOPS__STORAGE__PROVIDER"));
            var database = DatabaseSetting().Match(environment.GetValueOrDefault("MLOPS__STORAGE__CONNECTIONSTRING") ?? "");
            Assert.True(database.Success, $"{host}: the connection string names no Database");
            databases.Add(database.Groups["name"].Value);
            Assert.Matches($@"(?im)^\s*CREATE DATABASE {database.Groups["name"].Value};", init);
        }

        Assert.Equal(databases.Count, databases.Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(Yaml.Strings(ComposeFile.Service("postgres"), "volumes"),
            v => v.StartsWith("./docker/postgres-init.sql:/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
    }

    [Fact]
    public void The_topic_init_creates_the_MlOps_topics_before_Kafka_clients_start()
    {
        var init = ComposeFile.Service("kafka-init");
        string script = string.Join('\n', Yaml.Strings(init, "command"));
        Assert.All(Topics, t => Assert.Contains(t, script, StringComparison.Ordinal));
        Assert.Contains("--describe --topic mlops.outcomes", script, StringComparison.Ordinal);
        Assert.Equal("false", Yaml.Text(ComposeFile.Service("kafka"), "environment", "KAFKA_AUTO_CREATE_TOPICS_ENABLE"));
        int clients = 0;
        foreach (var (name, service) in ComposeFile.Services)
        {
            var environment = ComposeFile.Environment(service);
            bool usesKafka = environment.Keys.Any(k => k.EndsWith("BOOTSTRAPSERVERS", StringComparison.Ordinal));
            if (usesKafka)
                Assert.Equal("service_completed_successfully", Yaml.Text(service, "depends_on", "kafka-init", "condition"));
            Assert.DoesNotContain(environment.Keys, k => k.EndsWith("TOPIC", StringComparison.Ordinal));
            clients += usesKafka ? 1 : 0;
        }

        Assert.Equal(2, clients);
    }

    /// <summary>Ports of the infrastructure images (the MlOps hosts' come from their PORT build arg).</summary>
    private static readonly Dictionary<string, int[]> KnownPorts = new(StringComparer.Ordinal)
    {
        ["prometheus"] = [9090],
        ["alertmanager"] = [9093],
        ["grafana"] = [3000],
        ["rabbitmq"] = [5672, 15672],
        ["postgres"] = [5432],
        ["kafka"] = [9092],
    };

    private static string DevelopmentKey(string name) => $"dev-{name.ToLowerInvariant().Replace('_', '-')}-key-change-me";

    /// <summary>The role the target service gives the caller whose hash is ${<paramref name="keyVariable"/>_SHA256}.</summary>
    private static string? AcceptedRole(string target, string keyVariable)
    {
        var environment = ComposeFile.Environment(ComposeFile.Service(target));
        var entry = environment.FirstOrDefault(e =>
            ApiKeyHash().IsMatch(e.Key) && ComposeVariables.References(e.Value).Any(r => r.Name == $"{keyVariable}_SHA256"));
        Assert.True(entry.Key is not null, $"{target} accepts no key hashed as ${{{keyVariable}_SHA256}}");
        return environment.GetValueOrDefault(entry.Key.Replace("__KEYSHA256", "__ROLE", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^consumer_timeout\s*=\s*(?<ms>\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex ConsumerTimeout();

    [GeneratedRegex(@"^MLOPS_(?<name>[A-Z0-9_]+)_KEY_SHA256$")]
    private static partial Regex KeyHashVariable();

    [GeneratedRegex(@"^MLOPS_(?<name>[A-Z0-9_]+)_KEY$")]
    private static partial Regex KeyVariable();

    [GeneratedRegex(@"^MLOPS__AUTH__APIKEYS__\d+__KEYSHA256$")]
    private static partial Regex ApiKeyHash();

    [GeneratedRegex(@"https?://(?<host>[a-z][a-z0-9-]*):(?<port>\d+)")]
    private static partial Regex ServiceUrl();

    [GeneratedRegex(@"(?:^|;)Database=(?<name>[a-z_][a-z0-9_]*)(?:;|$)")]
    private static partial Regex DatabaseSetting();
}
