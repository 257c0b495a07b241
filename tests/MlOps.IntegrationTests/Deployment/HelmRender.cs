using System.Collections.Concurrent;
using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// The chart rendered by <c>helm template</c> (each variant once per test run) and the values it was rendered with.
/// Variants: "default" (values.yaml) and "production" (plus values-production.yaml), optionally with --set overrides.
/// </summary>
internal static class HelmRender
{
    public const string Release = "mlops";
    private static readonly ConcurrentDictionary<string, Lazy<Task<IReadOnlyList<YamlMappingNode>>>> Cache = new(StringComparer.Ordinal);

    /// <summary>The helm arguments that select a variant's values.</summary>
    public static string[] ValuesArguments(string variant) => variant switch
    {
        "default" => [],
        "production" => ["-f", RepositoryFiles.ChartProductionValues],
        _ => throw new ArgumentException($"unknown variant {variant}", nameof(variant)),
    };

    /// <summary>The manifests of a variant, each a YAML mapping.</summary>
    public static Task<IReadOnlyList<YamlMappingNode>> ManifestsAsync(string variant, params string[] sets) =>
        Cache.GetOrAdd($"{variant}|{string.Join('|', sets)}", _ => new Lazy<Task<IReadOnlyList<YamlMappingNode>>>(() => RenderAsync(variant, sets))).Value;

    public static IEnumerable<YamlMappingNode> OfKind(IEnumerable<YamlMappingNode> manifests, string kind) =>
        manifests.Where(m => Yaml.Text(m, "kind") == kind);

    public static string NameOf(YamlMappingNode manifest) => Yaml.Text(manifest, "metadata", "name") ?? "";

    /// <summary>A value of the variant's values (values.yaml overlaid with the production file), or null.</summary>
    public static string? Value(string variant, params string[] path)
    {
        string? value = null;
        if (variant == "production")
            value = Yaml.Text(RepositoryFiles.LoadYaml(RepositoryFiles.ChartProductionValues), path);
        return value ?? Yaml.Text(RepositoryFiles.LoadYaml($"{RepositoryFiles.Chart}/values.yaml"), path);
    }

    /// <summary>The services of values.yaml (registry, monitoring, …).</summary>
    public static IReadOnlyList<string> ServiceKeys() =>
        Yaml.Entries(RepositoryFiles.LoadYaml($"{RepositoryFiles.Chart}/values.yaml"), "services").Select(e => e.Key).ToList();

    private static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(string variant, string[] sets)
    {
        var arguments = new List<string> { "template", Release, RepositoryFiles.Chart, "--namespace", "mlops" };
        arguments.AddRange(ValuesArguments(variant));
        foreach (string set in sets)
        {
            arguments.Add("--set");
            arguments.Add(set);
        }

        string output = await Tools.HelmOkAsync([.. arguments]);
        var manifests = Yaml.LoadAll(output);
        Assert.NotEmpty(manifests);
        return manifests;
    }
}
