using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Schemas;
using MlOps.Monitoring.Catalog;
using MlOps.Contracts.Monitoring;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Tests;

/// <summary>A binary "churn" model with two numeric and one categorical feature, and events for it.</summary>
internal static class TestModels
{
    public static readonly DateTimeOffset Start = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    public static ModelSchema Schema { get; } = new()
    {
        Model = "churn",
        Task = ModelTask.Binary,
        PositiveClass = "1",
        Features =
        [
            new FeatureSchema { Name = "age", Type = FeatureType.Numeric, Required = true },
            new FeatureSchema { Name = "income", Type = FeatureType.Numeric },
            new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
        ],
    };

    /// <summary>A model whose version 1 is champion with <paramref name="reference"/> (no champion when it is null).</summary>
    public static ModelContext Context(DatasetProfile? reference = null, int windowMinutes = 5, int latenessMinutes = 1) => new(
        Schema,
        new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = latenessMinutes },
        reference is null ? null : "1",
        reference is null ? new Dictionary<string, VersionReference>() : new Dictionary<string, VersionReference> { ["1"] = new(reference, new Dictionary<string, double> { ["roc_auc"] = 0.8 }) });

    public static DatasetProfile Reference(int rows = 5000, int seed = 1, double ageShift = 0)
    {
        var random = new Random(seed);
        var ages = new double[rows];
        var incomes = new double[rows];
        var plan = new CategoricalProfile();
        for (int i = 0; i < rows; i++)
        {
            ages[i] = 40 + ageShift + 10 * Normal(random);
            incomes[i] = 50_000 + 10_000 * Normal(random);
            plan.Add(random.Next(3) switch { 0 => "basic", 1 => "silver", _ => "gold" });
        }

        var profile = new DatasetProfile();
        profile.AddFeature("age", NumericProfile.Build(ages));
        profile.AddFeature("income", NumericProfile.Build(incomes));
        profile.AddFeature("plan", plan);
        profile.AddRows(rows);
        return profile;
    }

    public static PredictionEvent Prediction(int i, DateTimeOffset at, Random random, double ageShift = 0) => new()
    {
        PredictionId = $"p-{i:D7}",
        Model = "churn",
        ModelVersion = "1",
        Timestamp = at,
        Features = new Dictionary<string, Scalar>
        {
            ["age"] = 40 + ageShift + 10 * Normal(random),
            ["income"] = 50_000 + 10_000 * Normal(random),
            ["plan"] = random.Next(3) switch { 0 => "basic", 1 => "silver", _ => "gold" },
        },
        Prediction = random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Score = random.NextDouble(),
        LatencyMs = 5 + random.NextDouble() * 10,
    };

    public static OutcomeEvent Outcome(int i, DateTimeOffset at, Random random) => new()
    {
        PredictionId = $"p-{i:D7}",
        Model = "churn",
        Timestamp = at,
        Actual = random.Next(2).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
