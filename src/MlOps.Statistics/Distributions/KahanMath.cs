namespace MlOps.Statistics.Distributions;

/// <summary>
/// expm1/log1p without .NET's cancellation-prone Exp(x) - 1 / Log(1 + x) (Kahan's correction).
/// </summary>
internal static class KahanMath
{
    internal static double Expm1(double x)
    {
        var u = Math.Exp(x);
        if (u == 1.0)
        {
            return x;
        }

        var um1 = u - 1.0;
        if (um1 == -1.0)
        {
            return -1.0;
        }

        return double.IsInfinity(u) ? u : um1 * x / Math.Log(u);
    }

    internal static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }
}
