using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>deploy/docker-compose.yml as the tests read it: its services, their environment, ports and build.</summary>
internal static class ComposeFile
{
    private static readonly Lazy<YamlMappingNode> Document = new(() => RepositoryFiles.LoadYaml(RepositoryFiles.Compose));

    public static YamlMappingNode Root => Document.Value;

    public static IReadOnlyList<(string Name, YamlMappingNode Service)> Services =>
        Yaml.Entries(Root, "services").Select(e => (e.Key, (YamlMappingNode)e.Value)).ToList();

    public static YamlMappingNode Service(string name)
    {
        var service = Yaml.Map(Root, "services", name);
        Assert.True(service is not null, $"{RepositoryFiles.Compose} has no service '{name}'.");
        return service;
    }

    /// <summary>The compose service of host MlOps.X.Host: mlops-x.</summary>
    public static string ServiceNameOf(string host) => $"mlops-{host.ToLowerInvariant()}";

    /// <summary>A service's environment (map or KEY=VALUE list), values as written (not interpolated).</summary>
    public static IReadOnlyDictionary<string, string> Environment(YamlMappingNode service)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var environment = Yaml.Get(service, "environment");
        if (environment is YamlMappingNode map)
        {
            foreach (var (key, value) in Yaml.Entries(map))
                result[key] = (value as YamlScalarNode)?.Value ?? "";
        }
        else
        {
            foreach (string item in Yaml.Strings(service, "environment"))
            {
                int equals = item.IndexOf('=', StringComparison.Ordinal);
                result[equals < 0 ? item : item[..equals]] = equals < 0 ? "" : item[(equals + 1)..];
            }
        }

        return result;
    }

    /// <summary>The build args of a service (map or KEY=VALUE list).</summary>
    public static IReadOnlyDictionary<string, string> BuildArgs(YamlMappingNode service)
    {
        var args = Yaml.At(service, "build", "args");
        if (args is YamlMappingNode map)
            return Yaml.Entries(map).ToDictionary(e => e.Key, e => (e.Value as YamlScalarNode)?.Value ?? "", StringComparer.Ordinal);
        return Yaml.Strings(service, "build", "args")
            .Select(a => a.Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "", StringComparer.Ordinal);
    }

    /// <summary>A service's published ports with defaults interpolated: (host IP or "", host port, container port).</summary>
    public static IReadOnlyList<(string HostIp, int HostPort, int ContainerPort)> Ports(YamlMappingNode service)
    {
        var ports = new List<(string, int, int)>();
        foreach (var item in Yaml.Items(service, "ports"))
        {
            if (item is YamlMappingNode longSyntax)
            {
                string published = ComposeVariables.WithDefaults(Yaml.Text(longSyntax, "published") ?? "");
                string target = ComposeVariables.WithDefaults(Yaml.Text(longSyntax, "target") ?? "");
                ports.Add((ComposeVariables.WithDefaults(Yaml.Text(longSyntax, "host_ip") ?? ""), ParsePort(published), ParsePort(target)));
                continue;
            }

            string text = ComposeVariables.WithDefaults(((YamlScalarNode)item).Value ?? "");
            string[] parts = text.Split('/')[0].Split(':');
            Assert.True(parts.Length is 2 or 3, $"Port '{text}' does not publish a host port (HOST:CONTAINER or IP:HOST:CONTAINER).");
            ports.Add((parts.Length == 3 ? parts[0] : "", ParsePort(parts[^2]), ParsePort(parts[^1])));
        }

        return ports;
    }

    private static int ParsePort(string text)
    {
        Assert.True(int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out int port) && port is > 0 and < 65536,
            $"'{text}' is not a single port number.");
        return port;
    }
}
