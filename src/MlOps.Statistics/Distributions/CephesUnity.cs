namespace MlOps.Statistics.Distributions;

/// <summary>
/// Cephes <c>log1pmx</c>, <c>log1p</c> and <c>expm1</c> (<c>scipy/special/cephes/unity.c</c>).
/// </summary>
internal static class CephesUnity
{
    private const int MaxIter = 2000;

    // Cephes log1pmx (unity.c): log(1 + x) - x.
    internal static double Log1pmx(double x)
    {
        if (Math.Abs(x) < 0.5)
        {
            var xfac = x;
            var res = 0.0;
            for (var n = 2; n < MaxIter; n++)
            {
                xfac *= -x;
                var term = xfac / n;
                res += term;
                if (Math.Abs(term) < CephesConstants.MachEp * Math.Abs(res))
                {
                    break;
                }
            }

            return res;
        }

        return Log1p(x) - x;
    }

    // Cephes log1p (unity.c).
    private static double Log1p(double x)
    {
        var z = 1.0 + x;
        if (z < 0.70710678118654752440 || z > 1.41421356237309504880)
        {
            return Math.Log(z);
        }

        z = x * x;
        z = (-0.5 * z) + (x * (z * Polynomials.Polevl(x, Log1pP, 6) / Polynomials.P1evl(x, Log1pQ, 6)));
        return x + z;
    }

    // Cephes expm1 (unity.c).
    internal static double Expm1(double x)
    {
        if (!double.IsFinite(x))
        {
            if (double.IsNaN(x) || x > 0)
            {
                return x;
            }

            return -1.0;
        }

        if (x < -0.5 || x > 0.5)
        {
            return Math.Exp(x) - 1.0;
        }

        var xx = x * x;
        var r = x * Polynomials.Polevl(xx, Expm1P, 2);
        r /= Polynomials.Polevl(xx, Expm1Q, 3) - r;
        return r + r;
    }

    // unity.c: log1p and expm1 rational approximations.
    private static readonly double[] Log1pP =
    [
        4.5270000862445199635215E-5, 4.9854102823193375972212E-1, 6.5787325942061044846969E0,
        2.9911919328553073277375E1, 6.0949667980987787057556E1, 5.7112963590585538103336E1,
        2.0039553499201281259648E1,
    ];

    private static readonly double[] Log1pQ =
    [
        1.5062909083469192043167E1, 8.3047565967967209469434E1, 2.2176239823732856465394E2,
        3.0909872225312059774938E2, 2.1642788614495947685003E2, 6.0118660497603843919306E1,
    ];

    private static readonly double[] Expm1P =
    [
        1.2617719307481059087798E-4, 3.0299440770744196129956E-2, 9.9999999999999999991025E-1,
    ];

    private static readonly double[] Expm1Q =
    [
        3.0019850513866445504159E-6, 2.5244834034968410419224E-3, 2.2726554820815502876593E-1,
        2.0000000000000000000897E0,
    ];
}
