namespace MlOps.Statistics.Tests;

/// <summary>The agreement the design asks of exact quantities: |ours − ref| ≤ 1e-9 + 1e-7·|ref|.</summary>
internal static class Precision
{
    public const double Absolute = 1e-9;
    public const double Relative = 1e-7;

    public static void Close(double expected, double actual, string what)
    {
        double allowed = Absolute + Relative * Math.Abs(expected);
        Assert.True(
            Math.Abs(actual - expected) <= allowed,
            $"{what}: expected {expected:R}, got {actual:R} (|diff| {Math.Abs(actual - expected):E3} > {allowed:E3})");
    }

    public static void Within(double expected, double actual, double bound, string what) =>
        Assert.True(
            Math.Abs(actual - expected) <= bound + 1e-12,
            $"{what}: expected {expected:R} ± {bound:E3}, got {actual:R} (off by {Math.Abs(actual - expected):E3})");
}
