namespace MlOps.Benchmarks;

/// <summary>Deterministic synthetic feature values, so every run measures the same data.</summary>
internal static class SyntheticData
{
    /// <summary>The categories categorical features draw from.</summary>
    public static readonly string[] Categories = CreateCategories(20);

    /// <summary><paramref name="count"/> draws from N(<paramref name="mean"/>, <paramref name="std"/>²) (Box–Muller).</summary>
    public static double[] Normal(int count, double mean, double std, int seed)
    {
        var random = new Random(seed);
        var values = new double[count];
        for (int i = 0; i < count; i += 2)
        {
            double u1 = 1.0 - random.NextDouble(); // (0, 1]: log(u1) stays finite
            double u2 = random.NextDouble();
            double radius = Math.Sqrt(-2.0 * Math.Log(u1));
            values[i] = mean + std * radius * Math.Cos(2 * Math.PI * u2);
            if (i + 1 < count)
                values[i + 1] = mean + std * radius * Math.Sin(2 * Math.PI * u2);
        }

        return values;
    }

    /// <summary>
    /// <paramref name="count"/> labels from <see cref="Categories"/> with Zipf-like weights 1/(k + 1 + <paramref name="skew"/>),
    /// so a different skew moves probability mass between categories.
    /// </summary>
    public static string[] Categorical(int count, double skew, int seed)
    {
        var cumulative = new double[Categories.Length];
        double total = 0;
        for (int k = 0; k < Categories.Length; k++)
        {
            total += 1.0 / (k + 1 + skew);
            cumulative[k] = total;
        }

        var random = new Random(seed);
        var labels = new string[count];
        for (int i = 0; i < count; i++)
        {
            int k = Array.BinarySearch(cumulative, random.NextDouble() * total);
            k = k >= 0 ? k : Math.Min(~k, Categories.Length - 1);
            labels[i] = Categories[k];
        }

        return labels;
    }

    private static string[] CreateCategories(int count)
    {
        var names = new string[count];
        for (int k = 0; k < count; k++)
            names[k] = "category_" + k.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
        return names;
    }
}
