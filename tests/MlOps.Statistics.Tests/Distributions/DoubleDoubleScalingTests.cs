using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Tests.Distributions;

/// <summary>DoubleDouble scales by the exponent field where it can: the same bits as Math.ScaleB and frexp everywhere.</summary>
public class DoubleDoubleScalingTests
{
    [Fact]
    public void ScaleB_and_Frexp_give_the_bits_of_the_math_functions_on_any_double()
    {
        var random = new Random(42);
        double[] edges = [0.0, -0.0, double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, 2.2250738585072009E-308, double.MaxValue, double.MinValue, double.PositiveInfinity, double.NegativeInfinity, double.NaN, 0.5, 1.0, -1.0, 0.75];
        int[] shifts = [0, 1, -1, 52, -52, 1022, -1022, 1023, -1023, 1074, -1074, 1075, -1075, 2098, -2098];
        for (int i = 0; i < 200_000; i++)
        {
            double x = i < edges.Length * shifts.Length ? edges[i % edges.Length] : BitConverter.Int64BitsToDouble(random.NextInt64());
            int n = i < edges.Length * shifts.Length ? shifts[i / edges.Length] : random.Next(-2200, 2200);
            Same(Math.ScaleB(x, n), new DoubleDouble(x, x).ScaleB(n).Hi, $"ScaleB({x:R}, {n})");

            var frexp = new DoubleDouble(x, 0).Frexp(out int exponent);
            int expected = x == 0 || !double.IsFinite(x) ? 0 : Math.ILogB(x) + 1;
            Same(x == 0 || !double.IsFinite(x) ? x : Math.ScaleB(x, -expected), frexp.Hi, $"Frexp({x:R})");
            Assert.Equal(expected, exponent);
        }
    }

    private static void Same(double expected, double actual, string what) =>
        Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(actual) || (double.IsNaN(expected) && double.IsNaN(actual)), $"{what}: {expected:R} expected, {actual:R}");
}
