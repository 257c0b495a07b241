using MlOps.Statistics.Drift;

namespace MlOps.Cli.Commands;

/// <summary>
/// The value of <c>--method</c>: one method, or several separated by commas (<c>ks,wasserstein</c>), each <c>auto</c>
/// (Evidently's default per column: null) or a method's short name. Names are case-insensitive; a repeated one counts once.
/// </summary>
internal static class DriftMethodList
{
    /// <summary>The methods in the order given, each with its name as printed (<c>auto</c>, <c>ks</c>, …).</summary>
    public static IReadOnlyList<(string Name, DriftMethod? Method)> Parse(string text)
    {
        var methods = new List<(string Name, DriftMethod? Method)>();
        foreach (string part in text.Split(','))
        {
            var choice = ParseOne(part);
            if (!methods.Contains(choice))
                methods.Add(choice);
        }

        return methods;
    }

    private static (string Name, DriftMethod? Method) ParseOne(string name)
    {
        if (string.Equals(name.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
            return ("auto", null);
        if (DriftMethods.TryParse(name, out var method))
            return (DriftMethods.Name(method.Value), method);
        string choices = $"choose auto, {string.Join(", ", DriftMethods.All.Select(DriftMethods.Name))}, or several separated by commas";
        throw new InputException(string.IsNullOrWhiteSpace(name)
            ? $"--method: an empty method name ({choices})"
            : $"--method: unknown method '{name.Trim()}' ({choices})");
    }
}
