using System.Text.Json.Serialization;

namespace MlOps.Statistics.Serialization;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DatasetProfileDocument))]
[JsonSerializable(typeof(FeatureProfileDocument))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
