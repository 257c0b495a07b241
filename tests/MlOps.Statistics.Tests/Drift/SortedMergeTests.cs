using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Drift;

/// <summary>
/// The branch-free walk behind KS and Wasserstein against the plain merges it replaced (SciPy's steps, tested against
/// SciPy in the reference tests): the same bits on samples with many ties, signed zeros and one side running out first.
/// </summary>
public class SortedMergeTests
{
    public static TheoryData<int, int, int> Samples => new()
    {
        { 1, 1, 0 }, { 1, 7, 1 }, { 7, 1, 2 }, { 2, 2, 3 }, { 100, 37, 4 }, { 1_000, 1_000, 5 }, { 5_000, 20_000, 6 }, { 30_001, 29_999, 7 },
    };

    [Theory]
    [MemberData(nameof(Samples))]
    public void Ks_and_wasserstein_give_the_bits_of_the_plain_merges(int n1, int n2, int seed)
    {
        var random = new Random(seed);
        foreach (var kind in new[] { 0, 1, 2, 3 })
        {
            var (reference, current) = (Sample(random, n1, kind, 0), Sample(random, n2, kind, kind == 3 ? 100 : 0.1));
            double d = PlainStatistic(reference, current), w = PlainDistance(reference, current);
            var (statistic, distance) = KolmogorovSmirnovTest.StatisticAndDistance(reference, current);
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(statistic));
            Assert.Equal(BitConverter.DoubleToInt64Bits(w), BitConverter.DoubleToInt64Bits(distance));
            Assert.Equal(BitConverter.DoubleToInt64Bits(d), BitConverter.DoubleToInt64Bits(KolmogorovSmirnovTest.Statistic(reference, current)));
            Assert.Equal(BitConverter.DoubleToInt64Bits(w), BitConverter.DoubleToInt64Bits(WassersteinDistance.Distance(reference, current)));
        }
    }

    [Fact]
    public void Identical_samples_have_zero_statistic_and_distance()
    {
        double[] values = [-1, -0.0, 0.0, 0.0, 2, 2, 3.5];
        var (statistic, distance) = KolmogorovSmirnovTest.StatisticAndDistance(values, values);
        Assert.Equal(0, BitConverter.DoubleToInt64Bits(statistic));
        Assert.Equal(0, BitConverter.DoubleToInt64Bits(distance));
    }

    /// <summary>Sorted; kind 0 few distinct values (ties), 1 continuous, 2 zeros of both signs, 3 disjoint ranges (shifted).</summary>
    private static double[] Sample(Random random, int n, int kind, double shift)
    {
        var values = new double[n];
        for (int i = 0; i < n; i++)
        {
            values[i] = kind switch
            {
                0 => Math.Round((random.NextDouble() * 6) - 3 + shift, 1),
                1 => (random.NextDouble() * 2) - 1 + shift,
                2 => random.Next(3) switch { 0 => 0.0, 1 => -0.0, _ => Math.Round(random.NextDouble() + shift, 2) },
                _ => random.NextDouble() + shift,
            };
        }

        Array.Sort(values);
        return values;
    }

    // The merges as they were: every distinct pooled value, both sides advanced past it, then the step.
    private static double PlainStatistic(ReadOnlySpan<double> r, ReadOnlySpan<double> c)
    {
        int n1 = r.Length, n2 = c.Length;
        double maxDiff = double.NegativeInfinity, minDiff = double.PositiveInfinity;
        int i = 0, j = 0;
        while (i < n1 || j < n2)
        {
            double x = i < n1 && (j >= n2 || r[i] <= c[j]) ? r[i] : c[j];
            while (i < n1 && r[i] <= x)
                i++;
            while (j < n2 && c[j] <= x)
                j++;
            double diff = ((double)i / n1) - ((double)j / n2);
            maxDiff = diff > maxDiff ? diff : maxDiff;
            minDiff = diff < minDiff ? diff : minDiff;
        }

        return Math.Max(Math.Clamp(-minDiff, 0.0, 1.0), maxDiff);
    }

    private static double PlainDistance(ReadOnlySpan<double> r, ReadOnlySpan<double> c)
    {
        int n1 = r.Length, n2 = c.Length;
        double sum = 0;
        int i = 0, j = 0;
        double previous = Math.Min(r[0], c[0]);
        while (i < n1 || j < n2)
        {
            double x = i < n1 && (j >= n2 || r[i] <= c[j]) ? r[i] : c[j];
            double delta = x - previous;
            if (delta != 0)
                sum += Math.Abs(((double)i / n1) - ((double)j / n2)) * delta;
            while (i < n1 && r[i] <= x)
                i++;
            while (j < n2 && c[j] <= x)
                j++;
            previous = x;
        }

        return sum;
    }
}
