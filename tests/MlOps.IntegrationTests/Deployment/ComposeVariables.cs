using System.Text.RegularExpressions;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>Compose's interpolation of <c>${VAR}</c>, <c>${VAR:-default}</c> and <c>${VAR-default}</c> (<c>$$</c> is a literal $).</summary>
internal static partial class ComposeVariables
{
    /// <summary>A reference to a variable, with its default when it has one.</summary>
    public sealed record Reference(string Name, string? Default);

    /// <summary>The references in a value, escaped <c>$$</c> excluded.</summary>
    public static IEnumerable<Reference> References(string value) =>
        Pattern().Matches(value).Where(m => m.Groups["name"].Success)
            .Select(m => new Reference(m.Groups["name"].Value, m.Groups["default"].Success ? m.Groups["default"].Value : null));

    /// <summary>The value compose would use with no variable set: every reference replaced by its default.</summary>
    public static string WithDefaults(string value) =>
        Pattern().Replace(value, m => m.Groups["name"].Success ? m.Groups["default"].Value : "$");

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::?-(?<default>[^}]*))?\}")]
    private static partial Regex Pattern();
}
