using System.Globalization;
using MlOps.Contracts;
using MlOps.Contracts.Schemas;

namespace MlOps.Cli.Simulation;

/// <summary>
/// Synthetic traffic for a binary churn model: features, a score that depends on them, a label drawn from the score.
/// After drift is switched on, the chosen features shift (numeric: +1.5 standard deviations; categorical: the
/// rarest category becomes the most common), the others keep their distribution.
/// </summary>
internal sealed class ChurnGenerator(int seed)
{
    private readonly Random _random = new(seed);

    public static ModelSchema Schema(string model) => new()
    {
        Model = model,
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
    };

    public static readonly string[] FeatureNames = ["age", "tenure_months", "income", "plan", "region"];

    /// <summary>One row: features, the churn probability and the true label.</summary>
    public (Dictionary<string, Scalar> Features, double Score, string Label) Next(IReadOnlySet<string> drifted)
    {
        double age = 41 + 12 * Normal() + (drifted.Contains("age") ? 18 : 0);
        double tenure = Math.Max(0, Math.Round(-24 * Math.Log(1 - _random.NextDouble()) + (drifted.Contains("tenure_months") ? 36 : 0)));
        double income = Math.Round(Math.Exp(10.8 + 0.5 * Normal()) * (drifted.Contains("income") ? 2.2 : 1), 2);
        string plan = drifted.Contains("plan")
            ? Pick(("gold", 6), ("silver", 3), ("basic", 1))
            : Pick(("basic", 5), ("silver", 3), ("gold", 2));
        string region = drifted.Contains("region")
            ? Pick(("apac", 6), ("eu", 2), ("us", 2))
            : Pick(("eu", 4), ("us", 4), ("apac", 2));
        double z = -1.2 + 0.03 * (45 - age) - 0.04 * tenure + (plan == "basic" ? 0.6 : 0) + 0.8 * Normal();
        double score = 1 / (1 + Math.Exp(-z));
        string label = _random.NextDouble() < score ? "1" : "0";
        var features = new Dictionary<string, Scalar>
        {
            ["age"] = Math.Round(age, 1),
            ["tenure_months"] = tenure,
            ["income"] = _random.NextDouble() < 0.02 ? Scalar.Missing : income,
            ["plan"] = plan,
            ["region"] = region,
        };
        return (features, Math.Round(score, 4), label);
    }

    /// <summary>A reference CSV (training data) of <paramref name="rows"/> rows without drift.</summary>
    public string ReferenceCsv(int rows)
    {
        var sb = new System.Text.StringBuilder("age,tenure_months,income,plan,region\n");
        var none = new HashSet<string>();
        for (int i = 0; i < rows; i++)
        {
            var (f, _, _) = Next(none);
            sb.Append(CultureInfo.InvariantCulture, $"{f["age"]},{f["tenure_months"]},{(f["income"].IsMissing ? "" : f["income"].ToString())},{f["plan"]},{f["region"]}\n");
        }

        return sb.ToString();
    }

    private string Pick(params (string Value, int Weight)[] choices)
    {
        int total = choices.Sum(c => c.Weight);
        int r = _random.Next(total);
        foreach (var (value, weight) in choices)
        {
            if (r < weight)
                return value;
            r -= weight;
        }

        return choices[^1].Value;
    }

    private double Normal() => Math.Sqrt(-2 * Math.Log(1 - _random.NextDouble())) * Math.Cos(2 * Math.PI * _random.NextDouble());
}
