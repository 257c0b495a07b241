using System.Text.Json.Serialization;
using MlOps.Contracts.Events;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Schemas;

namespace MlOps.Contracts.Serialization;

/// <summary>
/// Source-generated serializer metadata for every contract type: no reflection, so it is fast on the
/// consume path and safe under trimming/AOT. Use <c>ContractsJsonContext.Default.PredictionEvent</c> etc.
/// </summary>
/// <remarks>
/// Duplicate properties and nulls for non-nullable members are rejected so that deserialization agrees with
/// <see cref="Validation.EventValidator"/>; optional members that are null are omitted when writing. Contract enums
/// name <see cref="CamelCaseEnumConverter{TEnum}"/> themselves (so any context writes <c>"numeric"</c>);
/// <c>UseStringEnumConverter</c> only keeps a future enum that forgets it from going out as an integer.
/// </remarks>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DictionaryKeyPolicy = JsonKnownNamingPolicy.Unspecified,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true)]
[JsonSerializable(typeof(PredictionEvent))]
[JsonSerializable(typeof(OutcomeEvent))]
[JsonSerializable(typeof(ModelSchema))]
[JsonSerializable(typeof(FeatureSchema))]
[JsonSerializable(typeof(Scalar))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, Scalar>))]
[JsonSerializable(typeof(ModelPromoted))]
[JsonSerializable(typeof(ModelRolledBack))]
[JsonSerializable(typeof(ModelRegistered))]
[JsonSerializable(typeof(ModelVersionRegistered))]
[JsonSerializable(typeof(DriftDetected))]
[JsonSerializable(typeof(PerformanceDegraded))]
[JsonSerializable(typeof(DataQualityDegraded))]
public sealed partial class ContractsJsonContext : JsonSerializerContext;
