namespace MlOps.Statistics.Distributions;

/// <summary>
/// Cephes <c>polevl</c>/<c>p1evl</c> (<c>polevl.h</c>): Horner with coefficients from the highest power
/// down; <c>p1evl</c> has an implicit leading coefficient of 1.
/// </summary>
internal static class Polynomials
{
    internal static double Polevl(double x, double[] coef, int degree)
    {
        var ans = coef[0];
        for (var i = 1; i <= degree; i++)
        {
            ans = (ans * x) + coef[i];
        }

        return ans;
    }

    internal static double P1evl(double x, double[] coef, int degree)
    {
        var ans = x + coef[0];
        for (var i = 1; i < degree; i++)
        {
            ans = (ans * x) + coef[i];
        }

        return ans;
    }
}
