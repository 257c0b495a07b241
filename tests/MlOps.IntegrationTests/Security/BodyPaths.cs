using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// The string fields of a JSON body, as paths (<c>a.b[0].c</c>; <c>{key}</c> a dictionary's first key, <c>*</c> its
/// first value): read from a contract type by reflection, and placed into a body built from a template.
/// </summary>
public static class BodyPaths
{
    /// <summary>What <see cref="Place"/> leaves where the hostile value goes; the writer swaps it for the value's bytes.</summary>
    public const string Placeholder = "__hostile_value__";

    /// <summary>Every string field of <paramref name="type"/> (strings, enums and timestamps are strings in JSON), nested types included.</summary>
    public static IReadOnlyList<string> Of(Type type) => [.. Walk(type, "", depth: 0)];

    /// <summary>A copy of <paramref name="body"/> with the field at <paramref name="path"/> set to <see cref="Placeholder"/> (or, for <c>{key}</c>, the key renamed to it).</summary>
    public static JsonNode Place(JsonNode body, string path)
    {
        var root = body.DeepClone();
        var steps = Steps(path);
        JsonNode node = root;
        foreach (string step in steps[..^1])
            node = Step(node, step, path);
        string last = steps[^1];
        switch (last)
        {
            case "{key}":
                var obj = node.AsObject();
                var first = obj.First();
                var value = first.Value?.DeepClone();
                obj.Remove(first.Key);
                obj[Placeholder] = value;
                break;
            case "*":
                var map = node.AsObject();
                map[map.First().Key] = Placeholder;
                break;
            case "[0]":
                node.AsArray()[0] = Placeholder;
                break;
            default:
                if (node.AsObject()[last] is null)
                    throw new Xunit.Sdk.XunitException($"The body has no field '{path}': {body.ToJsonString()}");
                node.AsObject()[last] = Placeholder;
                break;
        }

        return root;
    }

    /// <summary>True when <paramref name="body"/> has a value at <paramref name="path"/>.</summary>
    public static bool Has(JsonNode body, string path)
    {
        try
        {
            JsonNode? node = body;
            foreach (string step in Steps(path))
            {
                if (node is null)
                    return false;
                node = step == "{key}" ? node.AsObject().Count > 0 ? node : null : Step(node, step, path);
            }

            return node is not null;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentOutOfRangeException or Xunit.Sdk.XunitException)
        {
            return false;
        }
    }

    private static List<string> Steps(string path)
    {
        var steps = new List<string>();
        foreach (string part in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            string name = part;
            int bracket = name.IndexOf('[', StringComparison.Ordinal);
            if (bracket > 0)
            {
                steps.Add(name[..bracket]);
                name = name[bracket..];
            }

            steps.Add(name);
        }

        return steps;
    }

    private static JsonNode Step(JsonNode node, string step, string path) => step switch
    {
        "[0]" => node.AsArray()[0] ?? throw new Xunit.Sdk.XunitException($"'{path}': empty array"),
        "*" => node.AsObject().First().Value ?? throw new Xunit.Sdk.XunitException($"'{path}': empty object"),
        _ => node.AsObject()[step] ?? throw new Xunit.Sdk.XunitException($"The body has no field '{step}' of '{path}'"),
    };

    private static IEnumerable<string> Walk(Type type, string prefix, int depth)
    {
        if (depth > 6)
            yield break;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || property.GetCustomAttribute<JsonIgnoreAttribute>() is not null || property.GetMethod is null)
                continue;
            string name = property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            foreach (string path in Field(property.PropertyType, prefix + name, depth))
                yield return path;
        }
    }

    private static IEnumerable<string> Field(Type type, string path, int depth)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (IsString(type))
        {
            yield return path;
        }
        else if (Dictionary(type) is { } value)
        {
            yield return path + ".{key}";
            foreach (string inner in Field(value, path + ".*", depth + 1))
                yield return inner;
        }
        else if (Element(type) is { } element)
        {
            foreach (string inner in Field(element, path + "[0]", depth + 1))
                yield return inner;
        }
        else if (type.Namespace?.StartsWith("MlOps.", StringComparison.Ordinal) == true && !type.IsEnum)
        {
            foreach (string inner in Walk(type, path + ".", depth + 1))
                yield return inner;
        }
    }

    private static bool IsString(Type type) => type == typeof(string) || type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime);

    private static Type? Dictionary(Type type) =>
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>) && i.GetGenericArguments()[0] == typeof(string))?.GetGenericArguments()[1];

    private static Type? Element(Type type) => type == typeof(string) ? null :
        type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];
}
