namespace MlOps.Statistics.Distributions;

/// <summary>
/// The log-gamma pieces <c>igamc</c> needs: Cephes <c>lgam</c> (<c>gamma.c</c>), <c>lgam1p</c>
/// (<c>unity.c</c>), <c>zeta</c> (<c>zeta.c</c>) and <c>lanczos_sum_expg_scaled</c> (<c>lanczos.c</c>).
/// </summary>
internal static class CephesGamma
{
    private const double Euler = 0.577215664901532860606512090082402;

    // Cephes lgam (gamma.c), restricted to the positive arguments igamc passes it.
    internal static double Lgam(double x)
    {
        if (!double.IsFinite(x))
        {
            return x;
        }

        if (x < 13.0)
        {
            var z = 1.0;
            var p = 0.0;
            var u = x;
            while (u >= 3.0)
            {
                p -= 1.0;
                u = x + p;
                z *= u;
            }

            while (u < 2.0)
            {
                if (u == 0.0)
                {
                    return double.PositiveInfinity;
                }

                z /= u;
                p += 1.0;
                u = x + p;
            }

            z = Math.Abs(z);
            if (u == 2.0)
            {
                return Math.Log(z);
            }

            p -= 2.0;
            x += p;
            p = x * Polynomials.Polevl(x, GammaB, 5) / Polynomials.P1evl(x, GammaC, 6);
            return Math.Log(z) + p;
        }

        const double maxLgm = 2.556348e305;
        if (x > maxLgm)
        {
            return double.PositiveInfinity;
        }

        const double ls2pi = 0.91893853320467274178;
        var q = ((x - 0.5) * Math.Log(x)) - x + ls2pi;
        if (x > 1.0e8)
        {
            return q;
        }

        var pp = 1.0 / (x * x);
        if (x >= 1000.0)
        {
            q += ((((7.9365079365079365079365e-4 * pp) - 2.7777777777777777777778e-3) * pp)
                  + 0.0833333333333333333333) / x;
        }
        else
        {
            q += Polynomials.Polevl(pp, GammaA, 4) / x;
        }

        return q;
    }

    // Cephes lgam1p (unity.c): lgam(1 + x) without the rounding of 1 + x near 0 and 1.
    internal static double Lgam1p(double x)
    {
        if (Math.Abs(x) <= 0.5)
        {
            return Lgam1pTaylor(x);
        }

        if (Math.Abs(x - 1) < 0.5)
        {
            return Math.Log(x) + Lgam1pTaylor(x - 1);
        }

        return Lgam(x + 1);
    }

    private static double Lgam1pTaylor(double x)
    {
        if (x == 0)
        {
            return 0;
        }

        var res = -Euler * x;
        var xfac = -x;
        for (var n = 2; n < 42; n++)
        {
            xfac *= -x;
            var coeff = Zeta(n, 1) * xfac / n;
            res += coeff;
            if (Math.Abs(coeff) < CephesConstants.MachEp * Math.Abs(res))
            {
                break;
            }
        }

        return res;
    }

    // Cephes zeta(x, q) (zeta.c), Hurwitz zeta by Euler-Maclaurin; only called with q = 1, x >= 2.
    private static double Zeta(double x, double q)
    {
        var s = Math.Pow(q, -x);
        var a = q;
        var i = 0;
        var b = 0.0;
        while (i < 9 || a <= 9.0)
        {
            i += 1;
            a += 1.0;
            b = Math.Pow(a, -x);
            s += b;
            if (Math.Abs(b / s) < CephesConstants.MachEp)
            {
                return s;
            }
        }

        var w = a;
        s += b * w / (x - 1.0);
        s -= 0.5 * b;
        a = 1.0;
        var k = 0.0;
        for (i = 0; i < 12; i++)
        {
            a *= x + k;
            b /= w;
            var t = a * b / ZetaA[i];
            s += t;
            t = Math.Abs(t / s);
            if (t < CephesConstants.MachEp)
            {
                return s;
            }

            k += 1.0;
            a *= x + k;
            b /= w;
            k += 1.0;
        }

        return s;
    }

    // lanczos_sum_expg_scaled (lanczos.c) through ratevl (polevl.h).
    internal static double LanczosSumExpgScaled(double x)
    {
        var num = LanczosSumExpgScaledNum;
        var denom = LanczosSumExpgScaledDenom;
        var absx = Math.Abs(x);
        var m = num.Length - 1;
        var n = denom.Length - 1;
        double numAns, denomAns;
        if (absx > 1)
        {
            // Evaluate as a polynomial in 1/x, coefficients taken from the far end.
            var y = 1 / x;
            numAns = num[m];
            for (var i = m - 1; i >= 0; i--)
            {
                numAns = (numAns * y) + num[i];
            }

            denomAns = denom[n];
            for (var i = n - 1; i >= 0; i--)
            {
                denomAns = (denomAns * y) + denom[i];
            }

            return Math.Pow(x, n - m) * numAns / denomAns;
        }

        numAns = num[0];
        for (var i = 1; i <= m; i++)
        {
            numAns = (numAns * x) + num[i];
        }

        denomAns = denom[0];
        for (var i = 1; i <= n; i++)
        {
            denomAns = (denomAns * x) + denom[i];
        }

        return numAns / denomAns;
    }

    // gamma.c: A[] Stirling expansion of log Gamma; B[], C[] log Gamma on [2, 3].
    private static readonly double[] GammaA =
    [
        8.11614167470508450300E-4, -5.95061904284301438324E-4, 7.93650340457716943945E-4,
        -2.77777777730099687205E-3, 8.33333333333331927722E-2,
    ];

    private static readonly double[] GammaB =
    [
        -1.37825152569120859100E3, -3.88016315134637840924E4, -3.31612992738871184744E5,
        -1.16237097492762307383E6, -1.72173700820839662146E6, -8.53555664245765465627E5,
    ];

    private static readonly double[] GammaC =
    [
        -3.51815701436523470549E2, -1.70642106651881159223E4, -2.20528590553854454839E5,
        -1.13933444367982507207E6, -2.53252307177582951285E6, -2.01889141433532773231E6,
    ];

    // zeta.c: (2k)! / B2k for the Euler-Maclaurin tail.
    private static readonly double[] ZetaA =
    [
        12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
        -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
        1.8152105401943546773e17, -7.1661652561756670113e18,
    ];

    // lanczos.h: N=13, g=6.0246800407767295837 (Boost), coefficients reversed for polevl order.
    private static readonly double[] LanczosSumExpgScaledNum =
    [
        0.006061842346248906525783753964555936883222, 0.5098416655656676188125178644804694509993,
        19.51992788247617482847860966235652136208, 449.9445569063168119446858607650988409623,
        6955.999602515376140356310115515198987526, 75999.29304014542649875303443598909137092,
        601859.6171681098786670226533699352302507, 3481712.15498064590882071018964774556468,
        14605578.08768506808414169982791359218571, 43338889.32467613834773723740590533316085,
        86363131.28813859145546927288977868422342, 103794043.1163445451906271053616070238554,
        56906521.91347156388090791033559122686859,
    ];

    private static readonly double[] LanczosSumExpgScaledDenom =
    [
        1, 66, 1925, 32670, 357423, 2637558, 13339535, 45995730, 105258076, 150917976, 120543840,
        39916800, 0,
    ];
}
