using System.Reflection;
using MlOps.Hosting;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// Every configuration key the platform reads, derived by reflection: the public settable properties of each options
/// class (a type with <c>public const string Section = "MlOps:…"</c> in an MlOps assembly), walked through nested
/// classes and lists, plus <see cref="MlOpsHost.JsonLogsKey"/>. A new options class or property is covered without
/// touching this file. Keys are upper case with <c>#</c> for a list index, e.g. <c>MLOPS:AUTH:APIKEYS:#:KEYSHA256</c>.
/// </summary>
internal static class ConfigurationKeys
{
    private const string Prefix = "MlOps:";
    private static readonly Lazy<IReadOnlyList<Type>> Types = new(FindOptionsTypes);
    private static readonly Lazy<IReadOnlySet<string>> Keys = new(BuildKeys);

    /// <summary>The options classes found.</summary>
    public static IReadOnlyList<Type> OptionsTypes => Types.Value;

    /// <summary>Every key, upper case, list indices as <c>#</c>.</summary>
    public static IReadOnlySet<string> All => Keys.Value;

    /// <summary>The key an environment variable MLOPS__A__0__B sets, in the form of <see cref="All"/> (MLOPS:A:#:B).</summary>
    public static string FromEnvironmentVariable(string name) =>
        string.Join(':', name.Split("__").Select(s => s.All(char.IsAsciiDigit) && s.Length > 0 ? "#" : s.ToUpperInvariant()));

    /// <summary>Whether an MLOPS__… environment variable names a real key.</summary>
    public static bool IsKnownEnvironmentVariable(string name) => All.Contains(FromEnvironmentVariable(name));

    private static List<Type> FindOptionsTypes()
    {
        // The test project reaches every service through MlOps.Testing -> MlOps.Platform; load each MlOps assembly
        // beside this one (by name, so the copies already loaded are reused).
        foreach (string file in Directory.GetFiles(AppContext.BaseDirectory, "MlOps.*.dll"))
            Assembly.Load(AssemblyName.GetAssemblyName(file));

        return AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => a.GetName().Name?.StartsWith("MlOps.", StringComparison.Ordinal) == true)
            .SelectMany(LoadableTypes)
            .Where(t => Section(t) is not null)
            .Distinct()
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            return e.Types.OfType<Type>();
        }
    }

    /// <summary>The value of a type's <c>public const string Section</c> when it starts with MlOps:, else null.</summary>
    public static string? Section(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field
        && field.GetRawConstantValue() is string section
        && section.StartsWith(Prefix, StringComparison.Ordinal)
            ? section
            : null;

    private static HashSet<string> BuildKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal) { MlOpsHost.JsonLogsKey.ToUpperInvariant() };
        foreach (var type in OptionsTypes)
            Walk(type, Section(type)!.ToUpperInvariant(), keys, []);
        return keys;
    }

    private static void Walk(Type type, string prefix, HashSet<string> keys, HashSet<Type> path)
    {
        if (!path.Add(type))
            return;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is not { IsPublic: true } || property.GetIndexParameters().Length > 0)
                continue;
            string key = $"{prefix}:{property.Name.ToUpperInvariant()}";
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (IsLeaf(valueType))
            {
                keys.Add(key);
            }
            else if (ElementType(valueType) is { } element)
            {
                element = Nullable.GetUnderlyingType(element) ?? element;
                if (IsLeaf(element))
                    keys.Add($"{key}:#");
                else
                    Walk(element, $"{key}:#", keys, path);
            }
            else
            {
                Walk(valueType, key, keys, path);
            }
        }

        path.Remove(type);
    }

    private static bool IsLeaf(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type == typeof(Uri);

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
            return type.GetElementType();
        if (type.IsGenericType && type.GetGenericArguments() is [var element]
            && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type))
            return element;
        return null;
    }
}
