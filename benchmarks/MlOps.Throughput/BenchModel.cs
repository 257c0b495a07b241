using System.Globalization;
using System.Text;
using System.Text.Json;
using MlOps.Client.Registry;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;
using MlOps.Contracts.Serialization;
using MlOps.Platform;

/// <summary>
/// The model every benchmark sends events for: a binary classifier with 20 features (15 numeric, 5 categorical),
/// the shape of a typical tabular model. Events are deterministic (event <c>i</c> is the same in every run).
/// </summary>
internal static class BenchModel
{
    public const string Name = "bench";
    public const string Version = "1";
    public const int Numeric = 15;
    public const int Categorical = 5;

    private static readonly string[] NumericNames = [.. Enumerable.Range(0, Numeric).Select(j => $"num_{j:D2}")];
    private static readonly string[] CategoricalNames = [.. Enumerable.Range(0, Categorical).Select(j => $"cat_{j}")];
    private static readonly string[][] Categories = [.. Enumerable.Range(0, Categorical).Select(j => Enumerable.Range(0, 3 + j).Select(k => $"v{k}").ToArray())];

    /// <summary>
    /// Starts the whole platform with the model registered: the model must exist before the monitor reads, so it is
    /// registered with the registry alone first.
    /// </summary>
    public static async Task<EmbeddedPlatform> StartPlatformAsync(EmbeddedOptions options, MonitoringConfig? monitoring = null)
    {
        await using (var registryOnly = await EmbeddedPlatform.StartAsync(options with { Services = [Services.Registry] }, CancellationToken.None))
            await RegisterAsync(registryOnly, monitoring);
        return await EmbeddedPlatform.StartAsync(options, CancellationToken.None);
    }

    /// <summary>Registers the model (first version champion at once) with a 5 000-row reference from the same distributions.</summary>
    public static async Task RegisterAsync(EmbeddedPlatform platform, MonitoringConfig? monitoring = null)
    {
        var admin = platform.RegistryAs("admin");
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = Name,
            Schema = new ModelSchemaBody { Task = Schema.Task, PositiveClass = Schema.PositiveClass, Features = [.. Schema.Features] },
            Monitoring = monitoring,
        });
        using var artifact = new MemoryStream([1]);
        using var reference = new MemoryStream(ReferenceCsv());
        await admin.RegisterVersionAsync(Name, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
    }

    /// <summary>The model's schema: 15 numeric features, then 5 categorical ones.</summary>
    public static ModelSchema Schema { get; } = new()
    {
        Model = Name,
        Task = ModelTask.Binary,
        PositiveClass = "1",
        Features =
        [
            .. NumericNames.Select(n => new FeatureSchema { Name = n, Type = FeatureType.Numeric }),
            .. CategoricalNames.Select(n => new FeatureSchema { Name = n, Type = FeatureType.Categorical }),
        ],
    };

    /// <summary>The reference data: 5 000 rows from the distributions the events are drawn from, as CSV.</summary>
    public static byte[] ReferenceCsv()
    {
        var csv = new StringBuilder(string.Join(",", [.. NumericNames, .. CategoricalNames])).Append('\n');
        for (int i = 0; i < 5000; i++)
        {
            var random = new Random(1_000_000_000 + i);
            for (int j = 0; j < Numeric; j++)
                csv.Append(CultureInfo.InvariantCulture, $"{NumericValue(random, j)},");
            for (int j = 0; j < Categorical; j++)
                csv.Append(CategoricalValue(random, j)).Append(j == Categorical - 1 ? '\n' : ',');
        }

        return Encoding.UTF8.GetBytes(csv.ToString());
    }

    public static string Id(int i) => $"p-{i:D9}";

    /// <summary>Prediction event number <paramref name="i"/> as JSON (about 560 bytes).</summary>
    public static byte[] Prediction(int i, DateTimeOffset at)
    {
        var random = new Random(i);
        var features = new Dictionary<string, Scalar>(Numeric + Categorical, StringComparer.Ordinal);
        for (int j = 0; j < Numeric; j++)
            features[NumericNames[j]] = NumericValue(random, j);
        for (int j = 0; j < Categorical; j++)
            features[CategoricalNames[j]] = CategoricalValue(random, j);
        var e = new PredictionEvent
        {
            PredictionId = Id(i),
            Model = Name,
            ModelVersion = Version,
            Timestamp = at,
            Features = features,
            Prediction = random.Next(2) == 0 ? "0" : "1",
            Score = Math.Round(random.NextDouble(), 3),
            LatencyMs = Math.Round(5 * random.NextDouble(), 1),
        };
        return JsonSerializer.SerializeToUtf8Bytes(e, ContractsJsonContext.Default.PredictionEvent);
    }

    /// <summary>The outcome of prediction <paramref name="i"/>.</summary>
    public static byte[] Outcome(int i, DateTimeOffset at) => JsonSerializer.SerializeToUtf8Bytes(
        new OutcomeEvent { PredictionId = Id(i), Model = Name, Timestamp = at, Actual = i % 3 == 0 ? "1" : "0" },
        ContractsJsonContext.Default.OutcomeEvent);

    // Four shapes on different scales, 3-4 significant digits: what a feature store usually sends. (Short numbers
    // also keep LZ4-compressed batches small: the dev cluster keeps ~5 MiB per partition.)
    private static double NumericValue(Random random, int j) => (j % 4) switch
    {
        0 => Math.Round(random.NextDouble() * 2 - 1, 3),
        1 => Math.Round(20 + 50 * random.NextDouble(), 1),
        2 => random.Next(120),
        _ => Math.Round(1_000 * random.NextDouble(), 0),
    };

    private static string CategoricalValue(Random random, int j) => Categories[j][random.Next(Categories[j].Length)];
}
