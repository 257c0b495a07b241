// The code before its speed-up (commit 82f72da), verbatim but for the names: kept so that a test can show that the
// optimised Smirnov sum gives the same bits. Not to be changed.
using MlOps.Statistics.Distributions;

namespace MlOps.Statistics.Tests.Distributions.Baseline;

/// <summary>
/// The one-sided one-sample KS survival function, Cephes <c>smirnov</c>
/// (<c>scipy/special/cephes/kolmogorov.c</c>), evaluated in double-double.
/// </summary>
internal static class SmirnovBaseline
{
    // C's DBL_EPSILON (2^-52); .NET's double.Epsilon is the smallest subnormal instead.
    private const double DblEpsilon = 2.220446049250313080847e-16;

    // Cephes smirnov -> _smirnov(n, x).sf (kolmogorov.c). The Birnbaum-Tingey sum
    //   sf = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
    // is evaluated in double-double with binomials and powers kept as (mantissa, exponent), or via the
    // upper (Dwass) sum when that has at most three terms. The pdf bookkeeping of _smirnov is omitted: it
    // does not influence sf.
    internal static double Sf(int n, double x)
    {
        if (!(n > 0 && x >= 0.0 && x <= 1.0))
        {
            return double.NaN;
        }

        if (n == 1)
        {
            return 1 - x;
        }

        if (x == 0.0)
        {
            return 1.0;
        }

        if (x == 1.0)
        {
            return 0.0;
        }

        var alpha = ModNX(n, x, out var nxfl);
        var n1mxfl = n - nxfl - (alpha == 0 ? 0 : 1);
        var n1mxceil = n - nxfl;

        // If alpha is 0 the last term belongs to neither the lower nor the upper sum.
        if (alpha == 0)
        {
            n1mxfl -= 1;
            n1mxceil += 1;
        }

        // x <= 1/n: sf = 1 - x (1 + x)^(n-1).
        if (nxfl == 0 || (nxfl == 1 && alpha == 0))
        {
            var t = DoubleDoubleBaseline.Pow(DoubleDoubleBaseline.Add(1, x), n - 1).Hi;
            return 1 - (x * t);
        }

        // The sf underflows double (Cephes MINLOG = log(2^-1075), SciPy builds with DENORMAL).
        const double minLog = -7.451332191019412076235E2;
        if (-2.0 * n * x * x < minLog)
        {
            return 0;
        }

        // x >= 1 - 1/n: sf = (1 - x)^n.
        if (nxfl >= n - 1)
        {
            return DoubleDoubleBaseline.Pow(DoubleDoubleBaseline.Add(1, -x), n).Hi;
        }

        const int smirnovMaxComputeN = 1000000;
        if (n > smirnovMaxComputeN)
        {
            // p ~ e^(-(6nx+1)^2 / 18n); pick the form that keeps a small p-value precise.
            var logp = -Math.Pow((6.0 * n * x) + 1, 2) / 18.0 / n;
            return KolmogorovSmirnov.Clip01(logp < -Math.Log(2) ? Math.Exp(logp) : 1 - (-KahanMath.Expm1(logp)));
        }

        // The upper sum alternates in sign with terms much bigger than 1, losing ~1.6 bits per term,
        // so it is used only when it has very few terms (SM_UPPER_MAX_TERMS = 3, SM_UPPERSUM_MIN_N = 10).
        var nUpperTerms = n - n1mxceil + 1;
        var useUpperSum = (nUpperTerms <= 1 && x < 0.5)
            || (n >= 10 && nUpperTerms <= 3 && x <= 0.5 / Math.Sqrt(n));

        var start = 0;
        var step = 1;
        var nTerms = n1mxfl + 1;
        var vmid = n / 2;
        var cman = DoubleDoubleBaseline.One;
        var cexpt = 0;
        DoubleDoubleBaseline aj;
        if (useUpperSum)
        {
            start = n;
            step = -1;
            nTerms = n - n1mxceil + 1;
            aj = DoubleDoubleBaseline.Pow4(1, x, 1, 0, n - 1);
        }
        else
        {
            var t2 = DoubleDoubleBaseline.Pow4(1, -x, 1, 0, n);
            aj = DoubleDoubleBaseline.Div(t2, x);
        }

        var ajSum = DoubleDoubleBaseline.Add(DoubleDoubleBaseline.Zero, aj);
        UpdateBinomial(ref cman, ref cexpt, n, 0);

        for (var j = 1; j < nTerms; j++)
        {
            var v = start + (j * step);
            aj = ComputeAv(n, x, v, cman, cexpt);
            if (aj.IsFinite && !aj.IsZero)
            {
                ajSum = DoubleDoubleBaseline.Add(ajSum, aj);
            }

            // Safe to terminate early?
            if (!aj.IsZero)
            {
                if ((4 * (nTerms - j) * Math.Abs(aj.Hi) < DblEpsilon * ajSum.Hi)
                    && j != nTerms - 1)
                {
                    break;
                }
            }
            else if (j > vmid)
            {
                break;
            }

            UpdateBinomial(ref cman, ref cexpt, n, j);
        }

        var prob = DoubleDoubleBaseline.Mul(x, ajSum).Hi;
        var sf = step < 0 ? 1 - prob : prob;
        return KolmogorovSmirnov.Clip01(sf);
    }

    // kolmogorov.c modNX: floor(n*x) and the remainder alpha, exactly (n*x computed in double-double).
    private static double ModNX(int n, double x, out int nxFloor)
    {
        var nxD = DoubleDoubleBaseline.Mul((double)n, x);
        var nxfloorD = nxD.Floor();
        var alpha = DoubleDoubleBaseline.Sub(nxD, nxfloorD).Hi;
        nxFloor = (int)nxfloorD.Hi;
        if (alpha == 1)
        {
            nxFloor += 1;
            alpha = 0;
        }

        return alpha;
    }

    // kolmogorov.c updateBinomial: C(n, j+1) = C(n, j) (n-j)/(j+1), stored as (mantissa, exponent)
    // because the binomial overflows a double's exponent range.
    private static void UpdateBinomial(ref DoubleDoubleBaseline cman, ref int cexpt, int n, int j)
    {
        var rat = DoubleDoubleBaseline.Div(n - j, j + 1.0);
        var man2 = DoubleDoubleBaseline.Mul(cman, rat).Frexp(out var expt);
        cexpt += expt;
        cman = man2;
    }

    // kolmogorov.c computeAv: A_v(n, x) = C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1).
    private static DoubleDoubleBaseline ComputeAv(int n, double x, int v, DoubleDoubleBaseline cman, int cexpt)
    {
        var t2x = DoubleDoubleBaseline.Sub(DoubleDoubleBaseline.Div(n - v, n), x);
        var t2 = DoubleDoubleBaseline.Pow2Scaled(t2x, n - v, out var t2E);
        var t1x = DoubleDoubleBaseline.Add(DoubleDoubleBaseline.Div(v, n), x);
        var t1 = DoubleDoubleBaseline.Pow2Scaled(t1x, v - 1, out var t1E);
        var ans = DoubleDoubleBaseline.Mul(DoubleDoubleBaseline.Mul(t1, t2), cman);
        return ans.ScaleB(cexpt + t1E + t2E);
    }
}
