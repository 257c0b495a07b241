using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Drift;
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

    /// <summary>The per-feature drift overrides name features of the schema, known methods that fit the feature type, and positive thresholds.</summary>
    public static void RequireMonitoring(MonitoringConfig monitoring, ModelSchema schema)
    {
        foreach (var (feature, o) in monitoring.Features)
        {
            if (!schema.TryGetFeature(feature, out var f))
                throw RegistryException.Invalid($"monitoring.features.{feature}", $"'{feature}' is not a feature of the schema.");
            if (o is null)
                throw RegistryException.Invalid($"monitoring.features.{feature}", $"The override of '{feature}' is null; give a method and/or threshold, or leave the feature out.");
            if (o.Method is not null)
            {
                if (!DriftMethods.TryParse(o.Method, out var method))
                    throw RegistryException.Invalid($"monitoring.features.{feature}.method", $"Unknown method '{o.Method}' (choose {string.Join(", ", DriftMethods.All.Select(DriftMethods.Name))}).");
                if (f!.Type != FeatureType.Numeric && method is DriftMethod.KolmogorovSmirnov or DriftMethod.Wasserstein)
                    throw RegistryException.Invalid($"monitoring.features.{feature}.method", $"'{feature}' is {f.Type.ToString().ToLowerInvariant()}: {o.Method} needs a numeric feature.");
            }

            if (o.Threshold is { } t && !(double.IsFinite(t) && t > 0))
                throw RegistryException.Invalid($"monitoring.features.{feature}.threshold", "A threshold is a positive number.");
        }
    }
}
