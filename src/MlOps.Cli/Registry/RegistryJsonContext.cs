using System.Text.Json;
using System.Text.Json.Serialization;

namespace MlOps.Cli.Registry;

/// <summary>Source-generated JSON for the registry API as the CLI reads and writes it (camelCase, like the API).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(List<ModelDto>))]
[JsonSerializable(typeof(ModelDto))]
[JsonSerializable(typeof(List<VersionDto>))]
[JsonSerializable(typeof(VersionDto))]
[JsonSerializable(typeof(AliasDto))]
[JsonSerializable(typeof(List<PromotionDto>))]
[JsonSerializable(typeof(PromotionDto))]
[JsonSerializable(typeof(ProblemDto))]
[JsonSerializable(typeof(RegisterModelBody))]
[JsonSerializable(typeof(VersionMetadataBody))]
[JsonSerializable(typeof(RollbackBody))]
[JsonSerializable(typeof(PromotionRequestBody))]
[JsonSerializable(typeof(DecisionBody))]
internal sealed partial class RegistryJsonContext : JsonSerializerContext;
