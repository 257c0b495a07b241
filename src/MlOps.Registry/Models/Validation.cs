using System.ComponentModel.DataAnnotations;

namespace MlOps.Registry.Models;

/// <summary>Runs the data annotations of a request part and reports the first failure as a 400 naming the field.</summary>
internal static class Validation
{
    public static void Require(object value, string prefix)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true))
            return;
        var first = results[0];
        string member = first.MemberNames.FirstOrDefault() is { } m ? $"{prefix}.{char.ToLowerInvariant(m[0])}{m[1..]}" : prefix;
        throw RegistryException.Invalid(member, first.ErrorMessage ?? "Invalid value.");
    }
}
