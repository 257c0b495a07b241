using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>The dashboards of the repository's <c>dashboards/</c> folder, and the metric names the source declares.</summary>
internal static partial class DashboardFiles
{
    /// <summary>The five dashboards the README promises; a missing or extra file fails the suite.</summary>
    public static readonly string[] Expected =
        ["mlops-data-quality.json", "mlops-drift.json", "mlops-model-overview.json", "mlops-performance.json", "mlops-platform.json"];

    private static readonly Lazy<HashSet<string>> Declared = new(ReadDeclaredMetrics);

    /// <summary>The folder holding MlOps.sln.</summary>
    public static string Root => RepositoryRoot.Path;

    public static string Folder => Path.Combine(Root, "dashboards");

    /// <summary>Theory data: every dashboard file name.</summary>
    public static TheoryData<string> All => [.. Expected];

    public static IReadOnlyList<string> Present =>
        [.. Directory.GetFiles(Folder, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal)];

    public static Dashboard Load(string file) =>
        new(file, JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, file))) as JsonObject
            ?? throw new InvalidOperationException($"{file} is not a JSON object"));

    public static IReadOnlyList<Dashboard> LoadAll() => [.. Expected.Select(Load)];

    /// <summary>
    /// Series names declared with prometheus-net's <c>Metrics.Create…</c> anywhere in src/ (histograms with their
    /// _bucket, _sum and _count series), plus Prometheus's own <c>up</c>.
    /// </summary>
    public static IReadOnlySet<string> DeclaredMetrics => Declared.Value;

    private static HashSet<string> ReadDeclaredMetrics()
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "up" };
        foreach (string file in Directory.EnumerateFiles(Path.Combine(Root, "src"), "*.cs", SearchOption.AllDirectories))
        {
            foreach (Match m in CreateMetric().Matches(File.ReadAllText(file)))
            {
                string name = m.Groups["name"].Value;
                names.Add(name);
                if (m.Groups["kind"].Value == "Histogram")
                    names.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
            }
        }

        return names;
    }

    [GeneratedRegex(@"Metrics\.Create(?<kind>Counter|Gauge|Histogram|Summary)\(\s*""(?<name>[a-z_:][a-z0-9_:]*)""")]
    private static partial Regex CreateMetric();
}
