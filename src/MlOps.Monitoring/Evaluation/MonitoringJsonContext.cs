using System.Text.Json.Serialization;

namespace MlOps.Monitoring.Evaluation;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(WindowResult))]
[JsonSerializable(typeof(IReadOnlyList<WindowResult>))]
[JsonSerializable(typeof(IReadOnlyList<MonitoredModel>))]
public sealed partial class MonitoringJsonContext : JsonSerializerContext;

/// <summary>A model the monitor watches (<c>GET /api/monitoring/models</c>).</summary>
/// <param name="Name">The model.</param>
/// <param name="Task"><c>binary</c>, <c>multiclass</c> or <c>regression</c>.</param>
/// <param name="ChampionVersion">The champion, if any.</param>
/// <param name="ReferenceVersions">Versions whose windows can be compared with their own reference profile.</param>
/// <param name="WindowMinutes">The window size.</param>
public sealed record MonitoredModel(string Name, string Task, string? ChampionVersion, IReadOnlyList<string> ReferenceVersions, double WindowMinutes);
