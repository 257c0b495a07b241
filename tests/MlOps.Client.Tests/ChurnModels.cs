using Microsoft.ML.Data;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Training;

namespace MlOps.Client.Tests;

/// <summary>A small binary model (numeric, categorical and boolean features), real ML.NET zips trained by MlOps.Training, and its registration.</summary>
public static class ChurnModels
{
    private static readonly Lazy<byte[]> FirstZip = new(() => Train(seed: 1));
    private static readonly Lazy<byte[]> SecondZip = new(() => Train(seed: 2));
    private static readonly Lazy<byte[]> ThirdZip = new(() => Train(seed: 3));

    public static byte[] First => FirstZip.Value;

    public static byte[] Second => SecondZip.Value;

    /// <summary>A version only the tampering test uses: artifacts are stored by content hash, so altering one alters every version with the same bytes.</summary>
    public static byte[] Third => ThirdZip.Value;

    public static ModelSchemaBody Schema => new()
    {
        Task = ModelTask.Binary,
        PositiveClass = "1",
        Classes = ["0", "1"],
        Features =
        [
            new FeatureSchema { Name = "age", Type = FeatureType.Numeric, Required = true },
            new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
            new FeatureSchema { Name = "active", Type = FeatureType.Boolean },
        ],
    };

    public static string NewName(string purpose) => $"{purpose}-{Guid.NewGuid():N}"[..Math.Min(40, purpose.Length + 33)];

    /// <summary>Registers a model with <see cref="Schema"/> (no versions).</summary>
    public static async Task RegisterAsync(RegistryClient admin, string name) =>
        await admin.RegisterModelAsync(new RegisterModelRequest { Name = name, Schema = Schema });

    /// <summary>Registers a version with a model zip; the model's first version becomes champion at once.</summary>
    public static async Task<VersionResponse> AddVersionAsync(RegistryClient admin, string name, byte[] zip)
    {
        using var artifact = new MemoryStream(zip);
        return await admin.RegisterVersionAsync(name, new VersionUpload { Artifact = artifact, ArtifactFileName = "model.zip" });
    }

    private static byte[] Train(int seed)
    {
        var schema = new ModelSchema { Model = "churn", Task = ModelTask.Binary, PositiveClass = "1", Classes = ["0", "1"], Features = Schema.Features! };
        var random = new Random(seed);
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var examples = Enumerable.Range(0, 300).Select(i =>
        {
            double age = 20 + random.Next(50);
            string plan = random.Next(3) switch { 0 => "basic", 1 => "silver", _ => "gold" };
            bool active = random.Next(2) == 0;
            bool churn = age < 35 == (random.NextDouble() < 0.85) || (plan == "basic" && !active);
            return new LabelledExample($"e{i}", "0", start.AddMinutes(i), new Dictionary<string, object?> { ["age"] = age, ["plan"] = plan, ["active"] = active }, churn ? "1" : "0", null);
        }).ToList();
        var policy = new RetrainingPolicy { Trials = 1, Folds = 2, TimeBudgetSeconds = 120, Trainers = ["sdca"], Seed = seed };
        return new ModelTrainer().Train(schema, TrainingDataPreparation.Prepare(schema, examples), policy, CancellationToken.None).ModelZip;
    }
}

/// <summary>The model's ML.NET input: numeric and boolean features as float, categorical as text, named by the feature.</summary>
public sealed class ChurnInput
{
    [ColumnName("age")]
    public float Age { get; set; }

    [ColumnName("plan")]
    public string Plan { get; set; } = "";

    [ColumnName("active")]
    public float Active { get; set; }
}

/// <summary>What a binary ML.NET model writes.</summary>
public sealed class ChurnOutput
{
    public bool PredictedLabel { get; set; }

    public float Probability { get; set; }

    public float Score { get; set; }
}
