using YamlDotNet.RepresentationModel;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>Small readers over YamlDotNet's representation model (anchors and aliases resolved).</summary>
internal static class Yaml
{
    /// <summary>Every document of a YAML stream whose root is a mapping (empty documents between --- are dropped).</summary>
    public static IReadOnlyList<YamlMappingNode> LoadAll(string text)
    {
        var stream = new YamlStream();
        using var reader = new StringReader(text);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>().ToList();
    }

    public static YamlNode? Get(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The node at a path of mapping keys, or null.</summary>
    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (string key in path)
            node = Get(node, key);
        return node;
    }

    public static YamlMappingNode? Map(YamlNode? node, params string[] path) => At(node, path) as YamlMappingNode;

    /// <summary>The scalar at a path, or null when it is missing or not a scalar.</summary>
    public static string? Text(YamlNode? node, params string[] path) => (At(node, path) as YamlScalarNode)?.Value;

    /// <summary>The items of the sequence at a path (none when it is missing).</summary>
    public static IReadOnlyList<YamlNode> Items(YamlNode? node, params string[] path) =>
        At(node, path) is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    /// <summary>The entries of the mapping at a path as (key, value node) pairs (none when it is missing).</summary>
    public static IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode? node, params string[] path) =>
        At(node, path) is YamlMappingNode map
            ? map.Children.Select(e => (((YamlScalarNode)e.Key).Value ?? "", e.Value))
            : [];

    /// <summary>The scalar items of a sequence at a path.</summary>
    public static IReadOnlyList<string> Strings(YamlNode? node, params string[] path) =>
        Items(node, path).OfType<YamlScalarNode>().Select(s => s.Value ?? "").ToList();
}
