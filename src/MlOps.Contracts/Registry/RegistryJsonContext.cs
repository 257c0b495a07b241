using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Contracts.Monitoring;

namespace MlOps.Contracts.Registry;

/// <summary>Source-generated JSON for every registry API shape: the registry serves it, <c>MlOps.Client</c> and the CLI read it.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(RegisterModelRequest))]
[JsonSerializable(typeof(ModelResponse))]
[JsonSerializable(typeof(IReadOnlyList<ModelResponse>))]
[JsonSerializable(typeof(RegisterVersionMetadata))]
[JsonSerializable(typeof(VersionResponse))]
[JsonSerializable(typeof(IReadOnlyList<VersionResponse>))]
[JsonSerializable(typeof(SetAliasRequest))]
[JsonSerializable(typeof(AliasResponse))]
[JsonSerializable(typeof(RollbackRequest))]
[JsonSerializable(typeof(MeResponse))]
[JsonSerializable(typeof(PromotionRequestBody))]
[JsonSerializable(typeof(PromotionResponse))]
[JsonSerializable(typeof(IReadOnlyList<PromotionResponse>))]
[JsonSerializable(typeof(DecisionRequest))]
[JsonSerializable(typeof(AuditResponse))]
[JsonSerializable(typeof(IReadOnlyList<AuditResponse>))]
[JsonSerializable(typeof(MonitoringConfig))]
[JsonSerializable(typeof(PromotionPolicy))]
[JsonSerializable(typeof(BaseDatasetResponse))]
[JsonSerializable(typeof(Monitoring.LabelledExampleCount))]
[JsonSerializable(typeof(Retraining.RetrainingPolicy))]
[JsonSerializable(typeof(Retraining.RetrainingRequestBody))]
[JsonSerializable(typeof(Retraining.RetrainingRunResponse))]
[JsonSerializable(typeof(IReadOnlyList<Retraining.RetrainingRunResponse>))]
[JsonSerializable(typeof(List<Retraining.RetrainingHistoryEntry>))]
[JsonSerializable(typeof(PromotionEvidence))]
[JsonSerializable(typeof(Dictionary<string, double>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ApiProblem))]
public sealed partial class RegistryJsonContext : JsonSerializerContext;
