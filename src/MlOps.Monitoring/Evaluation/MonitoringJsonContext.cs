using System.Text.Json.Serialization;

namespace MlOps.Monitoring.Evaluation;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(WindowResult))]
[JsonSerializable(typeof(IReadOnlyList<WindowResult>))]
public sealed partial class MonitoringJsonContext : JsonSerializerContext;
