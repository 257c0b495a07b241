namespace MlOps.Statistics.Distributions;

/// <summary>
/// Durbin's matrix method for the <c>kstwo</c> CDF, as Marsaglia, Tsang and Wang compute it (SciPy's
/// <c>_kolmogn_DMTW</c>).
/// </summary>
internal static class KolmogorovDmtw
{
    // _ksstats.py _kolmogn_DMTW(n, d, cdf=True): Durbin's matrix, as Marsaglia-Tsang-Wang compute it: the
    // k-th diagonal entry of H^n times n!/n^n, rescaling by 2^128 and tracking the exponent separately.
    // Multiplying a numpy float64 by SciPy's np.longdouble scale factor silently promotes the scalar to
    // 80-bit extended precision, and SciPy later forms 1 - p in that precision. Plain double would lose
    // up to ~1e-12 relative in small survival probabilities, so from that point on p is carried as a
    // double-double (more precise than 80-bit, so it tracks SciPy to ~1e-16).
    internal static DoubleDouble Cdf(int n, double d)
    {
        if (d >= 1.0)
        {
            return DoubleDouble.One;
        }

        var nd = n * d;
        if (nd <= 0.5)
        {
            return DoubleDouble.Zero;
        }

        // d = (k - h)/n with k a positive integer and 0 <= h < 1; H is m x m with m = 2k - 1.
        var k = (int)Math.Ceiling(nd);
        var h = k - nd;
        var m = (2 * k) - 1;

        var v = new double[m];
        var w = new double[m];
        for (var j = 1; j <= m; j++)
        {
            v[j - 1] = 1.0 - Math.Pow(h, j);
        }

        var fac = 1.0;
        for (var j = 1; j <= m; j++)
        {
            w[j - 1] = fac;
            fac /= j; // may underflow; harmless
            v[j - 1] *= fac;
        }

        var tt = Math.Pow(Math.Max((2 * h) - 1.0, 0), m) - (2 * Math.Pow(h, m));
        v[m - 1] = (1.0 + tt) * fac;

        var hm = new double[m * m];
        for (var i = 1; i < m; i++)
        {
            for (var r = i - 1; r < m; r++)
            {
                hm[(r * m) + i] = w[r - (i - 1)];
            }
        }

        for (var r = 0; r < m; r++)
        {
            hm[r * m] = v[r];
        }

        for (var c = 0; c < m; c++)
        {
            hm[((m - 1) * m) + c] = v[m - 1 - c];
        }

        var hpwr = new double[m * m];
        for (var i = 0; i < m; i++)
        {
            hpwr[(i * m) + i] = 1.0;
        }

        var scratch = new double[m * m];
        var nn = n;
        var expnt = 0;
        var hexpnt = 0;
        while (nn > 0)
        {
            if (nn % 2 == 1)
            {
                MatMul(hpwr, hm, scratch, m);
                (hpwr, scratch) = (scratch, hpwr);
                expnt += hexpnt;
            }

            MatMul(hm, hm, scratch, m);
            (hm, scratch) = (scratch, hm);
            hexpnt *= 2;
            if (Math.Abs(hm[((k - 1) * m) + k - 1]) > KolmogorovOneSample.Ep128)
            {
                for (var i = 0; i < hm.Length; i++)
                {
                    hm[i] /= KolmogorovOneSample.Ep128;
                }

                hexpnt += KolmogorovOneSample.E128;
            }

            nn /= 2;
        }

        // Multiply by n!/n^n; SciPy's p becomes a longdouble at its first rescale.
        var p = hpwr[((k - 1) * m) + k - 1];
        var factor = 1;
        for (; factor <= n; factor++)
        {
            p = factor * p / n;
            if (Math.Abs(p) < KolmogorovOneSample.Em128)
            {
                break;
            }
        }

        var pExtended = new DoubleDouble(p, 0.0);
        if (factor <= n)
        {
            pExtended = pExtended.ScaleB(KolmogorovOneSample.E128);
            expnt -= KolmogorovOneSample.E128;
            for (factor++; factor <= n; factor++)
            {
                pExtended = DoubleDouble.Div(DoubleDouble.Mul((double)factor, pExtended), n);
                if (Math.Abs(pExtended.Hi) < KolmogorovOneSample.Em128)
                {
                    pExtended = pExtended.ScaleB(KolmogorovOneSample.E128);
                    expnt -= KolmogorovOneSample.E128;
                }
            }
        }

        if (expnt != 0)
        {
            pExtended = pExtended.ScaleB(expnt);
        }

        return KolmogorovOneSample.Clip01(pExtended);
    }

    private static void MatMul(double[] a, double[] b, double[] result, int m)
    {
        Array.Clear(result);
        for (var i = 0; i < m; i++)
        {
            var row = i * m;
            for (var l = 0; l < m; l++)
            {
                var ail = a[row + l];
                if (ail == 0)
                {
                    continue;
                }

                var bRow = l * m;
                for (var j = 0; j < m; j++)
                {
                    result[row + j] += ail * b[bRow + j];
                }
            }
        }
    }
}
