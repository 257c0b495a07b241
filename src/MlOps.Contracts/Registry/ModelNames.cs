using System.Text.RegularExpressions;

namespace MlOps.Contracts.Registry;

/// <summary>
/// The rule for model names and aliases: what the registry accepts when one is registered, so anything else can be
/// refused as "not a model name" wherever a name arrives (a filter, a retraining request) before it reaches a store.
/// </summary>
public static partial class ModelNames
{
    /// <summary>The rule, for messages.</summary>
    public const string Rule = "1–100 characters: letters, digits, '.', '_' or '-', starting with a letter or digit";

    /// <summary>True when <paramref name="name"/> follows <see cref="Rule"/>.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    // \z, not $: "$" also matches before a final line feed.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}\z")]
    private static partial Regex Pattern();
}
