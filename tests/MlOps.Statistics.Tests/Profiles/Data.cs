namespace MlOps.Statistics.Tests.Profiles;

/// <summary>Seeded test data with awkward shapes: both signs, zeros, ties, wide ranges.</summary>
internal static class Data
{
    public static double[] Normal(int seed, int n, double mean = 0, double std = 1)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            values[i] = mean + std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
        }

        return values;
    }

    public static double[] Mixed(int seed, int n)
    {
        var random = new Random(seed);
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = (i % 7) switch
            {
                0 => 0,
                1 => Math.Round(random.NextDouble() * 10),
                2 => -Math.Exp(random.NextDouble() * 10),
                _ => Math.Exp(random.NextDouble() * 8 - 4),
            };
        }

        return values;
    }
}
