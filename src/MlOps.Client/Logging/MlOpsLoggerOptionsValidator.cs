using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace MlOps.Client.Logging;

/// <summary>Checks <see cref="MlOpsLoggerOptions"/> with messages that name the configuration key (<c>MlOps:Logger:BootstrapServers: is required</c>).</summary>
internal sealed class MlOpsLoggerOptionsValidator : IValidateOptions<MlOpsLoggerOptions>
{
    public ValidateOptionsResult Validate(string? name, MlOpsLoggerOptions options)
    {
        var failures = Check(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Every problem, each as <c>MlOps:Logger:Key: message</c>.</summary>
    public static List<string> Check(MlOpsLoggerOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        var failures = results.Select(r => $"{Key(r.MemberNames.FirstOrDefault())}: {r.ErrorMessage ?? "invalid value"}").ToList();
        if (options.RegistryUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
            failures.Add($"{Key(nameof(MlOpsLoggerOptions.RegistryUrl))}: must be an absolute http(s) URL");
        if (options.Models.Count > 0 && string.IsNullOrWhiteSpace(options.RegistryUrl))
            failures.Add($"{Key(nameof(MlOpsLoggerOptions.RegistryUrl))}: is required when {Key(nameof(MlOpsLoggerOptions.Models))} lists models to validate");
        return [.. failures.Distinct(StringComparer.Ordinal)];
    }

    private static string Key(string? member) => member is null ? MlOpsLoggerOptions.Section : $"{MlOpsLoggerOptions.Section}:{member}";
}
