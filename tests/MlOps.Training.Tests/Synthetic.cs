using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;

namespace MlOps.Training.Tests;

/// <summary>Generated labelled examples with a known signal: x1, x2 numeric, plan categorical, promo boolean.</summary>
internal static class Synthetic
{
    public static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ModelSchema Schema(ModelTask task, IReadOnlyList<string>? classes = null) => new()
    {
        Model = "synthetic",
        Task = task,
        PositiveClass = task == ModelTask.Binary ? "yes" : null,
        Classes = classes ?? (task == ModelTask.Binary ? ["yes", "no"] : task == ModelTask.Multiclass ? ["red", "green", "blue"] : null),
        Features =
        [
            new FeatureSchema { Name = "x1", Type = FeatureType.Numeric },
            new FeatureSchema { Name = "x2", Type = FeatureType.Numeric },
            new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
            new FeatureSchema { Name = "promo", Type = FeatureType.Boolean },
        ],
    };

    public static RetrainingPolicy Policy(int trials = 2, int folds = 3, int seed = 7, int budgetSeconds = 300, params string[] trainers) => new()
    {
        Trials = trials,
        Folds = folds,
        Seed = seed,
        TimeBudgetSeconds = budgetSeconds,
        Trainers = [.. trainers],
    };

    /// <summary>Examples of <paramref name="task"/>, one a minute, in time order (5 % of x1 and 3 % of plan missing).</summary>
    public static List<LabelledExample> Examples(ModelTask task, int count, int seed = 1)
    {
        var random = new Random(seed);
        string[] plans = ["basic", "plus", "pro"];
        double[] planEffect = [0, 1, -1];
        var examples = new List<LabelledExample>(count);
        for (int i = 0; i < count; i++)
        {
            double x1 = Normal(random), x2 = Normal(random);
            int plan = random.Next(3);
            bool promo = random.NextDouble() < 0.4;
            var features = new Dictionary<string, object?>
            {
                ["x1"] = random.NextDouble() < 0.05 ? null : x1,
                ["x2"] = x2,
                ["promo"] = promo,
            };
            if (random.NextDouble() >= 0.03)
                features["plan"] = plans[plan];
            double signal = 3 * x1 - 2 * x2 + 1.5 * planEffect[plan] + (promo ? 1 : 0);
            string actual;
            double? number = null;
            switch (task)
            {
                case ModelTask.Binary:
                    actual = random.NextDouble() < 1 / (1 + Math.Exp(-signal)) ? "yes" : "no";
                    break;
                case ModelTask.Multiclass:
                    double red = x1 + 0.3 * Normal(random), green = x2 + 0.3 * Normal(random), blue = 0.5 * planEffect[plan] + 0.3 * Normal(random);
                    actual = red > green && red > blue ? "red" : green > blue ? "green" : "blue";
                    break;
                default:
                    number = signal + 0.5 * Normal(random);
                    actual = number.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
                    break;
            }

            examples.Add(new LabelledExample($"p{i:D6}", "v1", Start.AddMinutes(i), features, actual, number));
        }

        return examples;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
