using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Contracts.Serialization;

/// <summary>
/// Enums as camelCase strings (<c>"numeric"</c>, <c>"binary"</c>), never as integers: schema files are written
/// by people, and an integer would silently change meaning if members were reordered.
/// </summary>
/// <typeparam name="TEnum">The enum type.</typeparam>
public sealed class CamelCaseEnumConverter<TEnum> : JsonStringEnumConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>Creates the converter with the camelCase policy and integer values disallowed.</summary>
    public CamelCaseEnumConverter()
        : base(JsonNamingPolicy.CamelCase, allowIntegerValues: false)
    {
    }
}
