using MlOps.Statistics.Distributions;
using MlOps.Statistics.Tests.Distributions.Baseline;

namespace MlOps.Statistics.Tests.Distributions;

/// <summary>
/// The Smirnov sum skips the terms that underflow and is compiled differently: it must still give exactly the
/// p-values it gave before (<see cref="SmirnovBaseline"/>), bit for bit, not merely close to SciPy's.
/// </summary>
public class SmirnovSpeedUpTests
{
    [Theory]
    [InlineData(100_000, 0.04208000000000006)] // mlops drift's benchmark at 200 000 rows: a third of the terms underflow
    [InlineData(100_000, 0.0030000000000000027)]
    [InlineData(20_000, 0.5)]
    [InlineData(20_000, 0.9999)]
    [InlineData(3, 0.4)]
    public void Gives_the_same_bits_as_before_its_speed_up(int n, double x) =>
        AssertSameBits(n, x);

    [Fact]
    public void Gives_the_same_bits_as_before_its_speed_up_on_random_arguments()
    {
        var random = new Random(20240917);
        for (int i = 0; i < 250; i++)
        {
            int n = (int)Math.Exp(Math.Log(2) + (random.NextDouble() * Math.Log(10_000)));
            // n x^2 from 0.005 (long sums of ordinary terms) to 800 (sums whose first thousands of terms underflow).
            double x = random.Next(10) == 0
                ? random.NextDouble()
                : Math.Sqrt(Math.Exp(Math.Log(0.005) + (random.NextDouble() * Math.Log(160_000))) / n);
            AssertSameBits(n, Math.Min(x, 1));
        }
    }

    private static void AssertSameBits(int n, double x)
    {
        double before = SmirnovBaseline.Sf(n, x), now = Smirnov.Sf(n, x);
        Assert.True(BitConverter.DoubleToInt64Bits(before) == BitConverter.DoubleToInt64Bits(now), $"smirnov({n}, {x:R}): {before:R} before, {now:R} now");
    }
}
