using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MlOps.Client.Serving;

/// <summary>Checks <see cref="ChampionModelOptions"/> with messages that name the configuration key (<c>MlOps:Champion:Model: is required</c>).</summary>
internal sealed class ChampionModelOptionsValidator : IValidateOptions<ChampionModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChampionModelOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static List<string> Check(ChampionModelOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r => $"{Key(r.MemberNames.FirstOrDefault())}: {r.ErrorMessage ?? "invalid value"}").ToList();
        if (options.RegistryUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            failures.Add($"{Key(nameof(ChampionModelOptions.RegistryUrl))}: must be an absolute http(s) URL");
        return failures;
    }

    private static string Key(string? member) => member is null ? ChampionModelOptions.Section : $"{ChampionModelOptions.Section}:{member}";
}
