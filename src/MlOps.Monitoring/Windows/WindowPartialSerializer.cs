using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Metrics;
using MlOps.Statistics.Profiles;
using MlOps.Statistics.Serialization;

namespace MlOps.Monitoring.Windows;

/// <summary>Window partials to and from the JSON stored in <c>window_partials.payload</c>.</summary>
public static class WindowPartialSerializer
{
    public static string Serialize(WindowPartial partial)
    {
        var predictions = new DatasetProfile();
        predictions.AddFeature("prediction", partial.Predictions);
        predictions.AddFeature("latency", partial.Latency);
        var document = new PartialDocument(
            partial.Task.ToString(),
            partial.Rows,
            Encoding.UTF8.GetString(ProfileSerializer.Serialize(partial.Features)),
            Encoding.UTF8.GetString(ProfileSerializer.Serialize(predictions)),
            partial.Binary?.ToState(),
            partial.Multiclass?.ToState(),
            partial.Regression?.ToState())
        {
            CarriedFrom = partial.CarriedFrom,
            ReferenceVersion = partial.ReferenceVersion,
            MixedReferences = partial.MixedReferences,
        };
        return JsonSerializer.Serialize(document, PartialJsonContext.Default.PartialDocument);
    }

    public static WindowPartial Deserialize(WindowKey key, string json)
    {
        var d = JsonSerializer.Deserialize(json, PartialJsonContext.Default.PartialDocument) ?? throw new FormatException("Empty window partial.");
        var task = Enum.Parse<ModelTask>(d.Task);
        var features = ProfileSerializer.DeserializeDataset(Encoding.UTF8.GetBytes(d.Features));
        var extra = ProfileSerializer.DeserializeDataset(Encoding.UTF8.GetBytes(d.Predictions));
        var partial = new WindowPartial(key, task, features, extra.Features["prediction"]);
        partial.Restore(
            d.Rows,
            (NumericProfile)extra.Features["latency"],
            d.Binary is null ? null : BinaryMetricsAccumulator.FromState(d.Binary),
            d.Multiclass is null ? null : MulticlassMetricsAccumulator.FromState(d.Multiclass),
            d.Regression is null ? null : RegressionMetricsAccumulator.FromState(d.Regression));
        partial.CarriedFrom = d.CarriedFrom;
        partial.ReferenceVersion = d.ReferenceVersion;
        partial.MixedReferences = d.MixedReferences;
        return partial;
    }

    /// <summary>The window's metric accumulators only (what late labels are added to after the window closed).</summary>
    public static string SerializePerformance(WindowPartial partial) =>
        JsonSerializer.Serialize(new PerformanceDocument(partial.Task.ToString(), partial.Binary?.ToState(), partial.Multiclass?.ToState(), partial.Regression?.ToState()), PartialJsonContext.Default.PerformanceDocument);

    /// <summary>Adds the accumulators of a stored performance state (JSON) to <paramref name="target"/>'s.</summary>
    public static void AddPerformance(string? stateJson, WindowPartial target)
    {
        if (stateJson is null)
            return;
        var d = JsonSerializer.Deserialize(stateJson, PartialJsonContext.Default.PerformanceDocument) ?? throw new FormatException("Empty performance state.");
        if (d.Binary is not null)
            target.Binary?.Merge(BinaryMetricsAccumulator.FromState(d.Binary));
        if (d.Multiclass is not null)
            target.Multiclass?.Merge(MulticlassMetricsAccumulator.FromState(d.Multiclass));
        if (d.Regression is not null)
            target.Regression?.Merge(RegressionMetricsAccumulator.FromState(d.Regression));
    }

    /// <summary>
    /// A closed window's merged feature profiles for <c>window_results.profile</c>: the profile JSON of
    /// <see cref="ProfileSerializer"/>, Brotli-compressed (3–4 times smaller: a 20-feature window is 8–16 KB).
    /// </summary>
    public static byte[] SerializeProfile(DatasetProfile features)
    {
        byte[] json = ProfileSerializer.Serialize(features);
        using var compressed = new MemoryStream(json.Length / 4 + 64);
        using (var brotli = new BrotliStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            brotli.Write(json);
        return compressed.ToArray();
    }

    /// <summary>Reads what <see cref="SerializeProfile"/> wrote; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static DatasetProfile DeserializeProfile(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        using var json = new MemoryStream(stored.Length * 5);
        try
        {
            using var brotli = new BrotliStream(new MemoryStream(stored), CompressionMode.Decompress);
            brotli.CopyTo(json);
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"Not a compressed window profile: {e.Message}", e);
        }

        return ProfileSerializer.DeserializeDataset(json.GetBuffer().AsSpan(0, (int)json.Length));
    }

    internal sealed record PerformanceDocument(string Task, BinaryMetricsState? Binary, MulticlassMetricsState? Multiclass, RegressionMetricsState? Regression);

    internal sealed record PartialDocument(
        string Task,
        long Rows,
        string Features,
        string Predictions,
        BinaryMetricsState? Binary,
        MulticlassMetricsState? Multiclass,
        RegressionMetricsState? Regression)
    {
        public long? CarriedFrom { get; init; }

        public string? ReferenceVersion { get; init; }

        public bool MixedReferences { get; init; }
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(WindowPartialSerializer.PartialDocument))]
[JsonSerializable(typeof(WindowPartialSerializer.PerformanceDocument))]
internal sealed partial class PartialJsonContext : JsonSerializerContext;
