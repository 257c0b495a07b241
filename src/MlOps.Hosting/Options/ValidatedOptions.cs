using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MlOps.Hosting.Options;

/// <summary>
/// Options bound from one configuration section and validated when the host starts, so a bad setting stops start-up
/// with a message that names the key as a user writes it (<c>MlOps:Monitoring:CheckpointInterval</c>, or the
/// environment variable <c>MLOPS__MONITORING__CHECKPOINTINTERVAL</c>).
/// </summary>
public static class ValidatedOptions
{
    /// <summary>Binds <typeparamref name="T"/> to <paramref name="section"/> and validates its data annotations (and <see cref="IValidatableObject"/>) on start.</summary>
    public static OptionsBuilder<T> AddValidatedOptions<T>(this IHostApplicationBuilder builder, string section) where T : class
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>>(new SectionValidator<T>(section)));
        return builder.Services.AddOptions<T>().Bind(builder.Configuration.GetSection(section)).ValidateOnStart();
    }

    /// <summary>Reads a section's current values without registering anything (for wiring decided at build time).</summary>
    public static T Read<T>(this IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>() ?? new T();

    private sealed class SectionValidator<T>(string section) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? name, T options)
        {
            var results = new List<ValidationResult>();
            if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
                return ValidateOptionsResult.Success;
            var failures = results.Select(r =>
            {
                string members = string.Join(", ", r.MemberNames.Select(m => $"{section}:{m}"));
                string message = r.ErrorMessage ?? "invalid value";
                // Cross-field rules (IValidatableObject) may name the full key themselves.
                if (message.StartsWith(section, StringComparison.OrdinalIgnoreCase))
                    return message;
                return $"{(members.Length == 0 ? section : members)}: {message}";
            });
            return ValidateOptionsResult.Fail(failures);
        }
    }
}
