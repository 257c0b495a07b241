using System.Text.Json.Serialization;

namespace MlOps.Storage;

/// <summary>System.Text.Json metadata for the few values the stores write as JSON themselves.</summary>
[JsonSerializable(typeof(IReadOnlyCollection<string>))]
internal sealed partial class StorageJsonContext : JsonSerializerContext;
