using System.Text.Json;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>The port each host listens on by default: the "Urls" of src/hosts/MlOps.X.Host/appsettings.json.</summary>
internal static class HostPorts
{
    /// <summary>Host service name (Registry, Monitoring, …) to its port.</summary>
    public static IReadOnlyDictionary<string, int> All { get; } = Read();

    private static Dictionary<string, int> Read()
    {
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (string service in RepositoryFiles.HostServices())
        {
            string settings = $"{RepositoryFiles.Hosts}/MlOps.{service}.Host/appsettings.json";
            using var json = JsonDocument.Parse(RepositoryFiles.ReadText(settings));
            string urls = json.RootElement.GetProperty("Urls").GetString() ?? "";
            ports[service] = new Uri(urls.Split(';')[0]).Port;
        }

        Assert.True(ports.Count >= 5, $"Expected the five hosts under {RepositoryFiles.Hosts}, found {string.Join(", ", ports.Keys)}.");
        return ports;
    }
}
