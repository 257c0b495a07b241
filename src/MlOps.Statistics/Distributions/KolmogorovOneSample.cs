namespace MlOps.Statistics.Distributions;

/// <summary>
/// The two-sided one-sample KS distribution <c>kstwo</c> (SciPy's <c>_kolmogn</c> in
/// <c>scipy/stats/_ksstats.py</c>): picks an exact formula or one of the DMTW, Pomeranz, Pelz–Good and
/// Smirnov computations by n and n·x².
/// </summary>
internal static class KolmogorovOneSample
{
    // _ksstats.py _E128/_EP128/_EM128: rescaling step that keeps intermediate products in range.
    internal const int E128 = 128;
    internal const double Ep128 = 3.4028236692093846346e38;
    internal const double Em128 = 2.9387358770557187699e-39;

    private static readonly double Log2Pi = Math.Log(2 * Math.PI);

    // _ksstats.py _STIRLING_COEFFS: B_{2j}/(2j)/(2j-1) for j = 8..1.
    private static readonly double[] StirlingCoeffs =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
        8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    internal static double SelectAndClip(double cdfProb, double sfProb, bool cdf) =>
        KolmogorovSmirnov.Clip01(cdf ? cdfProb : sfProb);

    // 1 - p rounded once, as SciPy gets it when p is a longdouble (see KolmogorovDmtw.Cdf).
    private static double OneMinus(DoubleDouble p) => DoubleDouble.Sub(DoubleDouble.One, p).Hi;

    // np.clip of the (possibly longdouble) probability to [0, 1].
    internal static DoubleDouble Clip01(DoubleDouble p)
    {
        if (p.Hi < 0)
        {
            return DoubleDouble.Zero;
        }

        return p.Hi > 1 || (p.Hi == 1 && p.Lo > 0) ? DoubleDouble.One : p;
    }

    // _ksstats.py _kolmogn: Simard & L'Ecuyer's choice of method by n and n*x^2.
    internal static double Kolmogn(int n, double x, bool cdf)
    {
        if (x >= 1.0)
        {
            return SelectAndClip(1.0, 0.0, cdf);
        }

        if (x <= 0.0)
        {
            return SelectAndClip(0.0, 1.0, cdf);
        }

        var t = n * x;
        if (t <= 1.0)
        {
            // Ruben-Gambino: 1/2n <= x <= 1/n, P = n!/n^n (2t-1)^n.
            if (t <= 0.5)
            {
                return SelectAndClip(0.0, 1.0, cdf);
            }

            double prob;
            if (n <= 140)
            {
                // np.prod(np.arange(1, n+1) * (1.0/n) * (2*t - 1)): a sequential product.
                prob = 1.0;
                var invN = 1.0 / n;
                var twoTm1 = (2 * t) - 1;
                for (var i = 1; i <= n; i++)
                {
                    prob *= i * invN * twoTm1;
                }
            }
            else
            {
                prob = Math.Exp(LogNFactorialDivNPowN(n) + (n * Math.Log((2 * t) - 1)));
            }

            return SelectAndClip(prob, 1.0 - prob, cdf);
        }

        if (t >= n - 1)
        {
            // Ruben-Gambino: 1 - 1/n <= x < 1.
            var prob = 2 * Math.Pow(1.0 - x, n);
            return SelectAndClip(1 - prob, prob, cdf);
        }

        if (x >= 0.5)
        {
            // D_n+ >= x and D_n- >= x cannot both happen, so the two-sided sf is exactly 2*smirnov.
            var prob = 2 * Smirnov.Sf(n, x);
            return SelectAndClip(1.0 - prob, prob, cdf);
        }

        var nxsquared = t * x;
        if (n <= 140)
        {
            if (nxsquared <= 0.754693)
            {
                var prob = KolmogorovDmtw.Cdf(n, x);
                return SelectAndClip(prob.Hi, OneMinus(prob), cdf);
            }

            if (nxsquared <= 4)
            {
                var prob = KolmogorovPomeranz.Cdf(n, x);
                return SelectAndClip(prob.Hi, OneMinus(prob), cdf);
            }

            // Miller's approximation 2*smirnov; the intersection term is below double precision here.
            var sprob = 2 * Smirnov.Sf(n, x);
            return SelectAndClip(1.0 - sprob, sprob, cdf);
        }

        // For n > 140 the CDF and SF have different cut-offs on n*x^2.
        if (!cdf)
        {
            if (nxsquared >= 370.0)
            {
                return 0.0;
            }

            if (nxsquared >= 2.2)
            {
                return KolmogorovSmirnov.Clip01(2 * Smirnov.Sf(n, x));
            }
        }

        DoubleDouble cdfprob;
        if (nxsquared >= 18.0)
        {
            cdfprob = DoubleDouble.One;
        }
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4)
        {
            cdfprob = KolmogorovDmtw.Cdf(n, x);
        }
        else
        {
            cdfprob = new DoubleDouble(KolmogorovPelzGood.Probability(n, x, cdf: true), 0.0);
        }

        return SelectAndClip(cdfprob.Hi, OneMinus(cdfprob), cdf);
    }

    // _ksstats.py _log_nfactorial_div_n_pow_n: log(n!/n^n) by Stirling with n log n removed up front.
    private static double LogNFactorialDivNPowN(int n)
    {
        var rn = 1.0 / n;
        var x = rn / n;
        var poly = 0.0;
        foreach (var c in StirlingCoeffs)
        {
            poly = (poly * x) + c;
        }

        return (Math.Log(n) / 2) - n + (Log2Pi / 2) + (rn * poly);
    }
}
