namespace MlOps.Statistics.Distributions;

/// <summary>
/// Cephes <c>igamc</c> and the series, continued fraction and Temme expansion behind it
/// (<c>scipy/special/cephes/igam.c</c>).
/// </summary>
internal static class IncompleteGamma
{
    private const int MaxIter = 2000;
    private const double Small = 20;
    private const double Large = 200;
    private const double SmallRatio = 0.3;
    private const double LargeRatio = 4.5;
    private const double Big = 4.503599627370496e15;
    private const double BigInv = 2.22044604925031308085e-16;
    private const double LanczosG = 6.024680040776729583740234375;

    /// <summary>Cephes <c>igamc</c>: the regularized upper incomplete gamma function Q(a, x).</summary>
    internal static double Igamc(double a, double x)
    {
        if (x < 0 || a <= 0)
        {
            return double.NaN;
        }

        if (x == 0)
        {
            return 1;
        }

        if (double.IsInfinity(x))
        {
            return 0.0;
        }

        // Asymptotic regime where a ~ x (Boost's choice of domain).
        var absxmaA = Math.Abs(x - a) / a;
        if (a > Small && a < Large && absxmaA < SmallRatio)
        {
            return AsymptoticSeries(a, x, igam: false);
        }

        if (a > Large && absxmaA < LargeRatio / Math.Sqrt(a))
        {
            return AsymptoticSeries(a, x, igam: false);
        }

        if (x > 1.1)
        {
            return x < a ? 1.0 - IgamSeries(a, x) : IgamcContinuedFraction(a, x);
        }

        if (x <= 0.5)
        {
            return -0.4 / Math.Log(x) < a ? 1.0 - IgamSeries(a, x) : IgamcSeries(a, x);
        }

        return x * 1.1 < a ? 1.0 - IgamSeries(a, x) : IgamcSeries(a, x);
    }

    // Cephes igam_fac: x^a exp(-x) / Gamma(a), using the Lanczos form near a ~ x to avoid cancellation.
    private static double IgamFac(double a, double x)
    {
        if (Math.Abs(a - x) > 0.4 * Math.Abs(a))
        {
            var ax = (a * Math.Log(x)) - x - CephesGamma.Lgam(a);
            if (ax < -CephesConstants.MaxLog)
            {
                return 0.0;
            }

            return Math.Exp(ax);
        }

        var fac = a + LanczosG - 0.5;
        var res = Math.Sqrt(fac / Math.Exp(1)) / CephesGamma.LanczosSumExpgScaled(a);
        if (a < 200 && x < 200)
        {
            res *= Math.Exp(a - x) * Math.Pow(x / fac, a);
        }
        else
        {
            var num = x - a - LanczosG + 0.5;
            res *= Math.Exp((a * CephesUnity.Log1pmx(num / fac)) + (x * (0.5 - LanczosG) / fac));
        }

        return res;
    }

    // Cephes igamc_continued_fraction (DLMF 8.9.2).
    private static double IgamcContinuedFraction(double a, double x)
    {
        var ax = IgamFac(a, x);
        if (ax == 0.0)
        {
            return 0.0;
        }

        var y = 1.0 - a;
        var z = x + y + 1.0;
        var c = 0.0;
        var pkm2 = 1.0;
        var qkm2 = x;
        var pkm1 = x + 1.0;
        var qkm1 = z * x;
        var ans = pkm1 / qkm1;

        for (var i = 0; i < MaxIter; i++)
        {
            c += 1.0;
            y += 1.0;
            z += 2.0;
            var yc = y * c;
            var pk = (pkm1 * z) - (pkm2 * yc);
            var qk = (qkm1 * z) - (qkm2 * yc);
            double t;
            if (qk != 0)
            {
                var r = pk / qk;
                t = Math.Abs((ans - r) / r);
                ans = r;
            }
            else
            {
                t = 1.0;
            }

            pkm2 = pkm1;
            pkm1 = pk;
            qkm2 = qkm1;
            qkm1 = qk;
            if (Math.Abs(pk) > Big)
            {
                pkm2 *= BigInv;
                pkm1 *= BigInv;
                qkm2 *= BigInv;
                qkm1 *= BigInv;
            }

            if (t <= CephesConstants.MachEp)
            {
                break;
            }
        }

        return ans * ax;
    }

    // Cephes igam_series (DLMF 8.11.4).
    private static double IgamSeries(double a, double x)
    {
        var ax = IgamFac(a, x);
        if (ax == 0.0)
        {
            return 0.0;
        }

        var r = a;
        var c = 1.0;
        var ans = 1.0;
        for (var i = 0; i < MaxIter; i++)
        {
            r += 1.0;
            c *= x / r;
            ans += c;
            if (c <= CephesConstants.MachEp * ans)
            {
                break;
            }
        }

        return ans * ax / a;
    }

    // Cephes igamc_series (DLMF 8.7.3): avoids the cancellation of 1 - igam for small x.
    private static double IgamcSeries(double a, double x)
    {
        var fac = 1.0;
        var sum = 0.0;
        for (var n = 1; n < MaxIter; n++)
        {
            fac *= -x / n;
            var term = fac / (a + n);
            sum += term;
            if (Math.Abs(term) <= CephesConstants.MachEp * Math.Abs(sum))
            {
                break;
            }
        }

        var logx = Math.Log(x);
        var lead = -CephesUnity.Expm1((a * logx) - CephesGamma.Lgam1p(a));
        return lead - (Math.Exp((a * logx) - CephesGamma.Lgam(a)) * sum);
    }

    // Cephes asymptotic_series (DLMF 8.12.3/8.12.4, Temme's uniform expansion).
    private static double AsymptoticSeries(double a, double x, bool igam)
    {
        var sgn = igam ? -1 : 1;
        var lambda = x / a;
        var sigma = (x - a) / a;
        double eta;
        if (lambda > 1)
        {
            eta = Math.Sqrt(-2 * CephesUnity.Log1pmx(sigma));
        }
        else if (lambda < 1)
        {
            eta = -Math.Sqrt(-2 * CephesUnity.Log1pmx(sigma));
        }
        else
        {
            eta = 0;
        }

        var res = 0.5 * StandardNormal.Erfc(sgn * eta * Math.Sqrt(a / 2));

        Span<double> etapow = stackalloc double[IgamCoefficients.N];
        etapow.Clear();
        etapow[0] = 1;
        var maxpow = 0;
        var sum = 0.0;
        var afac = 1.0;
        var absoldterm = double.PositiveInfinity;
        for (var k = 0; k < IgamCoefficients.K; k++)
        {
            var ck = IgamCoefficients.D[k, 0];
            for (var n = 1; n < IgamCoefficients.N; n++)
            {
                if (n > maxpow)
                {
                    etapow[n] = eta * etapow[n - 1];
                    maxpow += 1;
                }

                var ckterm = IgamCoefficients.D[k, n] * etapow[n];
                ck += ckterm;
                if (Math.Abs(ckterm) < CephesConstants.MachEp * Math.Abs(ck))
                {
                    break;
                }
            }

            var term = ck * afac;
            var absterm = Math.Abs(term);
            if (absterm > absoldterm)
            {
                break;
            }

            sum += term;
            if (absterm < CephesConstants.MachEp * Math.Abs(sum))
            {
                break;
            }

            absoldterm = absterm;
            afac /= a;
        }

        res += sgn * Math.Exp(-0.5 * a * eta * eta) * sum / Math.Sqrt(2 * Math.PI * a);
        return res;
    }
}
