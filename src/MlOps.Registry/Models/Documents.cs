using MlOps.Contracts.Registry;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlOps.Contracts.Schemas;
using MlOps.Contracts.Serialization;

namespace MlOps.Registry.Models;

/// <summary>JSON in and out of the TEXT columns, through the source-generated contexts only.</summary>
internal static class Documents
{
    public static string Write<T>(T value, JsonTypeInfo<T> type) => JsonSerializer.Serialize(value, type);

    public static T Read<T>(string json, JsonTypeInfo<T> type) where T : class =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidOperationException($"Stored {typeof(T).Name} is null.");

    public static string WriteSchema(ModelSchema schema) => JsonSerializer.Serialize(schema, ContractsJsonContext.Default.ModelSchema);

    public static ModelSchema ReadSchema(string json) => ModelSchema.Parse(json);

    public static string WriteMetrics(IReadOnlyDictionary<string, double>? metrics) =>
        Write(metrics is null ? [] : new Dictionary<string, double>(metrics), RegistryJsonContext.Default.DictionaryStringDouble);

    public static Dictionary<string, double> ReadMetrics(string json) => Read(json, RegistryJsonContext.Default.DictionaryStringDouble);

    public static string WriteTags(IReadOnlyDictionary<string, string>? tags) =>
        Write(tags is null ? [] : new Dictionary<string, string>(tags), RegistryJsonContext.Default.DictionaryStringString);

    public static Dictionary<string, string> ReadTags(string json) => Read(json, RegistryJsonContext.Default.DictionaryStringString);

    public static DateTimeOffset Time(long unixMilliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds);

    public static long Millis(DateTimeOffset time) => time.ToUnixTimeMilliseconds();
}
