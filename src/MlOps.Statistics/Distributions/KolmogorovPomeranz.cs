namespace MlOps.Statistics.Distributions;

/// <summary>
/// Pomeranz's recursion for the <c>kstwo</c> CDF (SciPy's <c>_kolmogn_Pomeranz</c>).
/// </summary>
internal static class KolmogorovPomeranz
{
    // _ksstats.py _pomeranz_compute_j1j2: the non-zero window of row i.
    private static (int J1, int J2) PomeranzJ1J2(int i, int n, int ll, int ceilf, int roundf)
    {
        int j1, j2;
        if (i == 0)
        {
            j1 = -ll - ceilf - 1;
            j2 = ll + ceilf - 1;
        }
        else
        {
            var ip1div2 = (i + 1) / 2;
            var ip1mod2 = (i + 1) % 2;
            if (ip1mod2 == 0)
            {
                if (ip1div2 == n + 1)
                {
                    j1 = n - ll - ceilf - 1;
                    j2 = n + ll + ceilf - 1;
                }
                else
                {
                    j1 = ip1div2 - 1 - ll - roundf - 1;
                    j2 = ip1div2 + ll - 1 + ceilf - 1;
                }
            }
            else
            {
                j1 = ip1div2 - 1 - ll - 1;
                j2 = ip1div2 + ll + roundf - 1;
            }
        }

        return (Math.Max(j1 + 2, 0), Math.Min(j2, n));
    }

    // _ksstats.py _kolmogn_Pomeranz(n, x, cdf=True): Pomeranz's recursion, each row a convolution of the
    // previous one with (almost) Poisson probabilities; only two rows are kept and rescaled against
    // underflow. The final n! product turns longdouble at its first rescale, as in KolmogorovDmtw.Cdf.
    internal static DoubleDouble Cdf(int n, double x)
    {
        var t = n * x;
        var ll = (int)Math.Floor(t);
        var f = 1.0 * (t - ll);
        var g = Math.Min(f, 1.0 - f);
        var ceilf = f > 0 ? 1 : 0;
        var roundf = f > 0.5 ? 1 : 0;
        var npwrs = 2 * (ll + 1);
        var gpower = new double[npwrs];
        var twogpower = new double[npwrs];
        var onem2gpower = new double[npwrs];
        gpower[0] = 1.0;
        twogpower[0] = 1.0;
        onem2gpower[0] = 1.0;
        var expnt = 0;
        var gOverN = g / n;
        var twoGOverN = 2 * g / n;
        var oneMinusTwoGOverN = (1 - (2 * g)) / n;
        for (var m = 1; m < npwrs; m++)
        {
            gpower[m] = gpower[m - 1] * gOverN / m;
            twogpower[m] = twogpower[m - 1] * twoGOverN / m;
            onem2gpower[m] = onem2gpower[m - 1] * oneMinusTwoGOverN / m;
        }

        var v0 = new double[npwrs];
        var v1 = new double[npwrs];
        var conv = new double[2 * npwrs];
        v1[0] = 1;
        int v0s = 0, v1s = 0;

        var (j1, j2) = PomeranzJ1J2(0, n, ll, ceilf, roundf);
        for (var i = 1; i < (2 * n) + 2; i++)
        {
            var k1 = j1;
            (v0, v1) = (v1, v0);
            (v0s, v1s) = (v1s, v0s);
            Array.Clear(v1);
            (j1, j2) = PomeranzJ1J2(i, n, ll, ceilf, roundf);
            double[] pwrs = i == 1 || i == (2 * n) + 1 ? gpower : (i % 2 == 1 ? twogpower : onem2gpower);
            var ln2 = j2 - k1 + 1;
            if (ln2 > 0)
            {
                // np.convolve(V0[k1 - V0s : k1 - V0s + ln2], pwrs[:ln2]) with numpy's slice clipping.
                var aStart = k1 - v0s;
                var aLen = Math.Min(ln2, npwrs - aStart);
                var bLen = Math.Min(ln2, npwrs);
                var convLength = aLen + bLen - 1;
                for (var c = 0; c < convLength; c++)
                {
                    var sum = 0.0;
                    var lo = Math.Max(0, c - bLen + 1);
                    var hi = Math.Min(c, aLen - 1);
                    for (var q = lo; q <= hi; q++)
                    {
                        sum += v0[aStart + q] * pwrs[c - q];
                    }

                    conv[c] = sum;
                }

                var convStart = j1 - k1;
                var convLen = j2 - j1 + 1;
                var maxV1 = double.NegativeInfinity;
                for (var c = 0; c < convLen; c++)
                {
                    v1[c] = conv[convStart + c];
                }

                foreach (var value in v1)
                {
                    maxV1 = Math.Max(maxV1, value);
                }

                if (maxV1 > 0 && maxV1 < KolmogorovOneSample.Em128)
                {
                    for (var c = 0; c < v1.Length; c++)
                    {
                        v1[c] *= KolmogorovOneSample.Ep128;
                    }

                    expnt -= KolmogorovOneSample.E128;
                }

                v1s = v0s + j1 - k1;
            }
        }

        // Multiply by n!.
        var ans = new DoubleDouble(v1[n - v1s], 0.0);
        var extended = false;
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(ans.Hi) > KolmogorovOneSample.Ep128)
            {
                ans = ans.ScaleB(-KolmogorovOneSample.E128);
                expnt += KolmogorovOneSample.E128;
                extended = true;
            }

            ans = extended ? DoubleDouble.Mul((double)m, ans) : new DoubleDouble(ans.Hi * m, 0.0);
        }

        if (expnt != 0)
        {
            ans = ans.ScaleB(expnt);
        }

        return KolmogorovOneSample.Clip01(ans);
    }
}
