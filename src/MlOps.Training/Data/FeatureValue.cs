using System.Text.Json;
using MlOps.Contracts.Schemas;

namespace MlOps.Training.Data;

/// <summary>How a raw feature value reads for its declared type.</summary>
internal enum FeatureValueKind
{
    Missing,
    Present,
    WrongType,
}

/// <summary>Reads the values of <see cref="LabelledExample.Features"/> as the model's input columns see them.</summary>
internal static class FeatureValue
{
    /// <summary>
    /// Reads <paramref name="value"/> as a <paramref name="type"/> feature: a number (booleans as 1/0) or a category.
    /// Non-finite numbers are missing, as the contracts' <c>Scalar</c> treats them; a <see cref="JsonElement"/> is read
    /// by its JSON kind, so features deserialized without a type hint work too.
    /// </summary>
    public static FeatureValueKind Read(object? value, FeatureType type, out float number, out string? text)
    {
        number = float.NaN;
        text = null;
        if (value is JsonElement json)
            value = FromJson(json);
        if (value is null)
            return FeatureValueKind.Missing;
        switch (type)
        {
            case FeatureType.Numeric:
                double? d = value switch
                {
                    double x => x,
                    float x => x,
                    int x => x,
                    long x => x,
                    decimal x => (double)x,
                    short x => x,
                    byte x => x,
                    _ => null,
                };
                if (d is not { } v)
                    return FeatureValueKind.WrongType;
                number = (float)v;
                return float.IsFinite(number) ? FeatureValueKind.Present : FeatureValueKind.Missing;
            case FeatureType.Boolean:
                if (value is not bool b)
                    return FeatureValueKind.WrongType;
                number = b ? 1f : 0f;
                return FeatureValueKind.Present;
            default:
                if (value is not string s)
                    return FeatureValueKind.WrongType;
                text = s;
                return FeatureValueKind.Present;
        }
    }

    private static object? FromJson(JsonElement json) => json.ValueKind switch
    {
        JsonValueKind.Number => json.GetDouble(),
        JsonValueKind.String => json.GetString(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => json, // objects and arrays: a wrong type for every feature
    };
}
