using System.Globalization;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;

namespace ScoringApi;

/// <summary>
/// <c>dotnet run -- register-model</c>: trains a real ML.NET churn model on synthetic data and registers it (with its
/// training data as the reference), so it becomes the model's champion (a model's first version does, by default). The
/// pipeline is the shape MlOps.Training's retraining produces: features prepared in place, concatenated, then a trainer;
/// the zip is saved with its feature-only input schema, so retrained challengers are drop-in replacements.
/// </summary>
public static class DemoChampion
{
    private static readonly string[] Plans = ["basic", "silver", "gold"];
    private static readonly string[] Regions = ["eu", "us", "apac"];

    public static async Task<int> RegisterAsync(IConfiguration configuration, TextWriter output)
    {
        string model = configuration["MlOps:Champion:Model"] ?? "churn-sdk";
        string registry = configuration["MlOps:Champion:RegistryUrl"] ?? configuration["MlOps:Logger:RegistryUrl"] ?? "http://127.0.0.1:5080";
        string? adminKey = configuration["MlOps:AdminKey"];
        if (string.IsNullOrWhiteSpace(adminKey))
        {
            output.WriteLine("set MLOPS__ADMINKEY to the admin key (mlops up writes it to .mlops/admin.key)");
            return 2;
        }

        using var http = RegistryClient.CreateHttpClient(new Uri(registry), adminKey);
        var client = new RegistryClient(http);
        if (!(await client.ListModelsAsync()).Any(m => m.Name == model))
        {
            await client.RegisterModelAsync(new RegisterModelRequest
            {
                Name = model,
                Description = "Churn model served by samples/ScoringApi",
                Owner = "samples",
                Schema = new ModelSchemaBody
                {
                    Task = ModelTask.Binary,
                    PositiveClass = "1",
                    Classes = ["0", "1"],
                    Features =
                    [
                        new FeatureSchema { Name = "age", Type = FeatureType.Numeric, Required = true },
                        new FeatureSchema { Name = "tenure_months", Type = FeatureType.Numeric, Required = true },
                        new FeatureSchema { Name = "income", Type = FeatureType.Numeric },
                        new FeatureSchema { Name = "plan", Type = FeatureType.Categorical, Required = true },
                        new FeatureSchema { Name = "region", Type = FeatureType.Categorical, Required = true },
                    ],
                },
            });
        }

        var rows = Generate(seed: 7, count: 2000);
        byte[] zip = Train(rows);
        using var artifact = new MemoryStream(zip);
        using var reference = new MemoryStream(Encoding.UTF8.GetBytes(Csv(rows)));
        var version = await client.RegisterVersionAsync(model, new VersionUpload
        {
            Artifact = artifact,
            ArtifactFileName = "churn.zip",
            ReferenceCsv = reference,
            Metadata = new RegisterVersionMetadata { RunId = "samples-scoring-api" },
        });
        string role = version.Aliases.Contains("champion") ? "champion" : "not champion: promote it with `mlops promotions request`";
        output.WriteLine($"registered {model} version {version.Version} ({role}), artifact SHA-256 {version.Artifact.Sha256}");
        return 0;
    }

    private static byte[] Train(List<TrainingRow> rows)
    {
        var ml = new MLContext(seed: 0);
        var data = ml.Data.LoadFromEnumerable(rows);
        string[] numeric = ["age", "tenure_months", "income"];
        var pipeline = ml.Transforms.ReplaceMissingValues([.. numeric.Select(n => new InputOutputColumnPair(n))], MissingValueReplacingEstimator.ReplacementMode.Mean)
            .Append(ml.Transforms.Categorical.OneHotEncoding([new InputOutputColumnPair("plan"), new InputOutputColumnPair("region")]))
            .Append(ml.Transforms.Concatenate("Features", [.. numeric, "plan", "region"]))
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(labelColumnName: "Label", featureColumnName: "Features"));
        var model = pipeline.Fit(data);
        // Saved with the feature-only schema of ChurnInput (no label), as MlOps.Training saves challengers.
        var inputSchema = ml.Data.LoadFromEnumerable(Array.Empty<ChurnInput>()).Schema;
        using var stream = new MemoryStream();
        ml.Model.Save(model, inputSchema, stream);
        return stream.ToArray();
    }

    private static List<TrainingRow> Generate(int seed, int count)
    {
        var random = new Random(seed);
        var rows = new List<TrainingRow>(count);
        for (int i = 0; i < count; i++)
        {
            float age = 20 + random.Next(50);
            float tenure = random.Next(72);
            float income = random.NextDouble() < 0.02 ? float.NaN : (float)Math.Round(30_000 + random.NextDouble() * 70_000);
            string plan = Plans[random.Next(Plans.Length)];
            string region = Regions[random.Next(Regions.Length)];
            double z = -1.2 + 0.03 * (45 - age) - 0.04 * tenure + (plan == "basic" ? 0.6 : 0);
            bool churn = random.NextDouble() < 1 / (1 + Math.Exp(-z));
            rows.Add(new TrainingRow { Age = age, TenureMonths = tenure, Income = income, Plan = plan, Region = region, Label = churn });
        }

        return rows;
    }

    private static string Csv(List<TrainingRow> rows)
    {
        var csv = new StringBuilder("age,tenure_months,income,plan,region\n");
        foreach (var r in rows)
            csv.Append(CultureInfo.InvariantCulture, $"{r.Age},{r.TenureMonths},{(float.IsNaN(r.Income) ? "" : r.Income.ToString(CultureInfo.InvariantCulture))},{r.Plan},{r.Region}\n");
        return csv.ToString();
    }

    private sealed class TrainingRow
    {
        [ColumnName("age")]
        public float Age { get; set; }

        [ColumnName("tenure_months")]
        public float TenureMonths { get; set; }

        [ColumnName("income")]
        public float Income { get; set; }

        [ColumnName("plan")]
        public string Plan { get; set; } = "";

        [ColumnName("region")]
        public string Region { get; set; } = "";

        public bool Label { get; set; }
    }
}
