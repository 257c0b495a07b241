namespace MlOps.Statistics.Distributions;

/// <summary>
/// Kolmogorov–Smirnov p-values, ported line by line from SciPy 1.10 so that drift verdicts match what a
/// data scientist gets from <c>scipy.stats.ks_2samp</c>: the exact two-sample lattice-path methods
/// (<c>scipy/stats/_stats_py.py</c>, <c>_stats_pythran.py</c>), the one-sample two-sided distribution
/// <c>kstwo</c> (<c>scipy/stats/_ksstats.py</c>) and Cephes' <c>smirnov</c>/<c>kolmogorov</c>
/// (<c>scipy/special/cephes/kolmogorov.c</c>).
/// </summary>
/// <remarks>
/// Against SciPy 1.10.1 the results are bit-identical in most branches and within ~1e-15 relative
/// elsewhere (numpy/BLAS summation order in <c>_kolmogn_PelzGood</c> and <c>_kolmogn_Pomeranz</c>).
/// SciPy's silent switch to 80-bit <c>longdouble</c> after its 2^128 rescaling is emulated with
/// double-double arithmetic.
/// </remarks>
public static class KolmogorovSmirnov
{
    // ks_2samp's MAX_AUTO_N: method='auto' tries the exact distribution up to this sample size.
    private const int MaxAutoN = 10000;

    // _ksstats.py _E128/_EP128/_EM128: rescaling step that keeps intermediate products in range.
    private const int E128 = 128;
    private const double Ep128 = 3.4028236692093846346e38;
    private const double Em128 = 2.9387358770557187699e-39;

    private const int MinLogExp = -708; // _ksstats.py _MIN_LOG

    // C's DBL_EPSILON (2^-52); .NET's double.Epsilon is the smallest subnormal instead.
    private const double DblEpsilon = 2.220446049250313080847e-16;

    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Log2Pi = Math.Log(2 * Math.PI);
    private static readonly double Sqrt3 = Math.Sqrt(3);
    private static readonly double PiSquared = Math.Pow(Math.PI, 2);
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    // _ksstats.py _STIRLING_COEFFS: B_{2j}/(2j)/(2j-1) for j = 8..1.
    private static readonly double[] StirlingCoeffs =
    [
        -2.955065359477124183e-2, 6.4102564102564102564e-3, -1.9175269175269175269e-3,
        8.4175084175084175084e-4, -5.952380952380952381e-4, 7.9365079365079365079e-4,
        -2.7777777777777777778e-3, 8.3333333333333333333e-2,
    ];

    /// <summary>
    /// Exact two-sided two-sample p-value; equals SciPy's <c>_attempt_exact_2kssamp(n1, n2, g, d,
    /// 'two-sided')</c>, i.e. <c>ks_2samp(..., method='exact').pvalue</c> when that succeeds.
    /// </summary>
    /// <remarks>
    /// <paramref name="d"/> is first rounded to the nearest attainable value h/lcm(n1, n2) (numpy's
    /// round-half-to-even), as SciPy does. Equal sizes use <c>_compute_prob_outside_square</c>, others
    /// <c>_compute_outer_prob_inside_method</c>.
    /// </remarks>
    /// <param name="n1">Size of the first sample, &gt; 0.</param>
    /// <param name="n2">Size of the second sample, &gt; 0.</param>
    /// <param name="d">The KS statistic, in [0, 1].</param>
    /// <returns>P(D &gt;= d), or <see cref="double.NaN"/> where SciPy's attempt fails (result outside
    /// [0, 1]) and SciPy would fall back to the asymptotic distribution.</returns>
    public static double TwoSampleExactPValue(int n1, int n2, double d)
    {
        ValidateTwoSample(n1, n2, d);
        var success = AttemptExact2KsSamp(n1, n2, d, out _, out var prob);
        return success ? prob : double.NaN;
    }

    /// <summary>
    /// Asymptotic two-sided two-sample p-value; equals <c>ks_2samp(..., method='asymp').pvalue</c>, i.e.
    /// <c>kstwo.sf(d, round(n1*n2/(n1+n2)))</c> clipped to [0, 1].
    /// </summary>
    /// <remarks>The effective size is rounded half-to-even like <c>np.round</c>; when it rounds to 0
    /// (n1 = n2 = 1) SciPy's <c>kstwo</c> rejects it and the result is NaN.</remarks>
    /// <param name="n1">Size of the first sample, &gt; 0.</param>
    /// <param name="n2">Size of the second sample, &gt; 0.</param>
    /// <param name="d">The KS statistic, in [0, 1].</param>
    /// <returns>The asymptotic p-value.</returns>
    public static double TwoSampleAsymptoticPValue(int n1, int n2, double d)
    {
        ValidateTwoSample(n1, n2, d);
        return Clip01(AsymptoticTwoSided(n1, n2, d));
    }

    /// <summary>
    /// Two-sided two-sample p-value as SciPy's default <c>ks_2samp(..., method='auto').pvalue</c>: exact when
    /// max(n1, n2) &lt;= 10000, falling back to the asymptotic value (at the rounded d) when the exact
    /// attempt fails, clipped to [0, 1].
    /// </summary>
    /// <param name="n1">Size of the first sample, &gt; 0.</param>
    /// <param name="n2">Size of the second sample, &gt; 0.</param>
    /// <param name="d">The KS statistic, in [0, 1].</param>
    /// <returns>The p-value.</returns>
    public static double TwoSamplePValue(int n1, int n2, double d)
    {
        ValidateTwoSample(n1, n2, d);
        double prob;
        if (Math.Max(n1, n2) <= MaxAutoN)
        {
            if (!AttemptExact2KsSamp(n1, n2, d, out var roundedD, out prob))
            {
                // ks_2samp keeps the d returned by the failed attempt, which is already rounded.
                prob = AsymptoticTwoSided(n1, n2, roundedD);
            }
        }
        else
        {
            prob = AsymptoticTwoSided(n1, n2, d);
        }

        return Clip01(prob);
    }

    /// <summary>
    /// Survival function of the two-sided one-sample KS statistic D_n; equals
    /// <c>scipy.stats.kstwo.sf(x, n)</c> (SciPy's <c>_kolmogn(n, x, cdf=False)</c> behind
    /// <c>rv_continuous.sf</c>'s support handling).
    /// </summary>
    /// <param name="n">Sample size, &gt;= 1.</param>
    /// <param name="x">The statistic.</param>
    /// <returns>P(D_n &gt; x); 1 for x &lt;= 0.5/n, 0 for x &gt;= 1, NaN for n &lt; 1 or NaN x.</returns>
    public static double KolmogorovSf(int n, double x)
    {
        if (n < 1 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= 0.5 / n)
        {
            return 1.0;
        }

        if (x >= 1.0)
        {
            return 0.0;
        }

        return Kolmogn(n, x, cdf: false);
    }

    /// <summary>
    /// <c>scipy.stats.kstwo.cdf(x, n)</c>; internal because drift checks need only the survival function,
    /// but tests reach the branches whose survival function rounds to 1 through it.
    /// </summary>
    internal static double KolmogorovCdf(int n, double x)
    {
        if (n < 1 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x >= 1.0)
        {
            return 1.0;
        }

        if (x <= 0.5 / n)
        {
            return 0.0;
        }

        return Kolmogn(n, x, cdf: true);
    }

    /// <summary>
    /// Survival function of the one-sided one-sample KS statistic D_n+; equals
    /// <c>scipy.special.smirnov(n, x)</c> (Cephes <c>smirnov</c>/<c>_smirnov</c>, computed in double-double
    /// with exponent tracking).
    /// </summary>
    /// <param name="n">Sample size, &gt;= 1.</param>
    /// <param name="x">The statistic, in [0, 1].</param>
    /// <returns>P(D_n+ &gt;= x); NaN outside the domain.</returns>
    public static double SmirnovSf(int n, double x) => double.IsNaN(x) ? double.NaN : Smirnov(n, x);

    /// <summary>
    /// Survival function of Kolmogorov's limiting distribution; equals <c>scipy.special.kolmogorov(x)</c>
    /// (Cephes <c>_kolmogorov(x).sf</c>).
    /// </summary>
    /// <param name="x">The scaled statistic sqrt(n)·D.</param>
    /// <returns>P(K &gt; x); NaN for NaN x.</returns>
    public static double KolmogorovLimitSf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        // x <= 0.0406...: the first series term exp(-pi^2/8x^2) underflows (MIN_EXPABLE = -708 - 38).
        if (x <= 0 || x <= Math.PI / Math.Sqrt((708 + 38) * 8))
        {
            return 1.0;
        }

        double sf;
        var p = 1.0;
        if (x <= 0.82)
        {
            // Jacobi theta form, good for small x: P = w u (1 + u^8 + u^24 + u^48 + ...).
            var w = Math.Sqrt(2 * Math.PI) / x;
            var logu8 = -Math.PI * Math.PI / (x * x);
            var u = Math.Exp(logu8 / 8);
            if (u == 0)
            {
                p = Math.Exp((logu8 / 8) + Math.Log(w));
            }
            else
            {
                var u8 = Math.Exp(logu8);
                var u8cub = Math.Pow(u8, 3);
                p = 1 + (u8cub * p);
                p = 1 + (u8 * u8 * p);
                p = 1 + (u8 * p);
                p = w * u * p;
            }

            sf = 1 - p;
        }
        else
        {
            // Alternating series 2(v - v^4 + v^9 - v^16), v = exp(-2x^2), unrolled as in Cephes.
            var v = Math.Exp(-2 * x * x);
            var vsq = v * v;
            var v3 = Math.Pow(v, 3);
            var vpwr = v3 * v3 * v;
            p = 1 - (vpwr * p);
            vpwr = v3 * vsq;
            p = 1 - (vpwr * p);
            vpwr = v3;
            p = 1 - (vpwr * p);
            sf = 2 * v * p;
        }

        return Clip01(sf);
    }

    private static void ValidateTwoSample(int n1, int n2, double d)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(n2);
        if (!(d >= 0 && d <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(d), d, "The KS statistic must lie in [0, 1].");
        }
    }

    private static double Clip01(double p) => double.IsNaN(p) ? p : Math.Clamp(p, 0.0, 1.0);

    // ks_2samp's 'asymp' branch for alternative='two-sided'.
    private static double AsymptoticTwoSided(int n1, int n2, double d)
    {
        double m = Math.Max(n1, n2);
        double n = Math.Min(n1, n2);
        var en = m * n / (m + n);
        var effectiveN = Math.Round(en, MidpointRounding.ToEven);
        return KolmogorovSf((int)effectiveN, d);
    }

    // _stats_py.py _attempt_exact_2kssamp, alternative='two-sided'. SciPy raises on floating-point
    // overflow/invalid; neither path below can overflow (all intermediates are probabilities), so the
    // only failure left is a result outside [0, 1].
    private static bool AttemptExact2KsSamp(int n1, int n2, double d, out double roundedD, out double prob)
    {
        var g = Gcd(n1, n2);
        var lcm = (long)(n1 / g) * n2;
        var h = (long)Math.Round(d * lcm, MidpointRounding.ToEven);
        roundedD = h * 1.0 / lcm;
        if (h == 0)
        {
            prob = 1.0;
            return true;
        }

        prob = n1 == n2 ? ComputeProbOutsideSquare(n1, h) : ComputeOuterProbInsideMethod(n1, n2, g, h);
        return prob >= 0 && prob <= 1;
    }

    private static int Gcd(int a, int b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    // _stats_py.py _compute_prob_outside_square: Pr(D_{n,n} >= h/n) as
    // 2 A0 (1 - A1 (1 - A2 (1 - ...))), each A_k a ratio of binomials, to avoid cancellation.
    private static double ComputeProbOutsideSquare(long n, long h)
    {
        var p = 0.0;
        var k = n / h;
        while (k >= 0)
        {
            var p1 = 1.0;
            for (long j = 0; j < h; j++)
            {
                p1 = (n - (k * h) - j) * p1 / (n + (k * h) + j + 1);
            }

            p = p1 * (1.0 - p);
            k -= 1;
        }

        return 2 * p;
    }

    // _stats_pythran.py _compute_outer_prob_inside_method: Hodges' inside method with Viehmann's recursion
    // for 1 - p over a sliding window of one column of the lattice.
    private static double ComputeOuterProbInsideMethod(long m, long n, long g, long h)
    {
        if (m < n)
        {
            (m, n) = (n, m);
        }

        var mg = m / g;
        var ng = n / g;

        long minj = 0;
        var maxj = Math.Min((long)Math.Ceiling((double)h / mg), n + 1);
        var curlen = maxj - minj;
        var lenA = (int)Math.Min((2 * maxj) + 2, n + 1);
        var a = new double[lenA];
        Array.Fill(a, 1.0);
        for (var idx = minj; idx < Math.Min(maxj, lenA); idx++)
        {
            a[idx] = 0.0;
        }

        for (long i = 1; i <= m; i++)
        {
            var lastminj = minj;
            var lastlen = curlen;
            minj = Math.Max((long)Math.Floor((double)((ng * i) - h) / mg) + 1, 0);
            minj = Math.Min(minj, n);
            maxj = Math.Min((long)Math.Ceiling((double)((ng * i) + h) / mg), n + 1);
            if (maxj <= minj)
            {
                return 1.0;
            }

            var val = minj == 0 ? 0.0 : 1.0;
            for (long jj = 0; jj < maxj - minj; jj++)
            {
                var j = jj + minj;
                val = ((a[jj + minj - lastminj] * i) + (val * j)) / (i + j);
                a[jj] = val;
            }

            curlen = maxj - minj;
            if (lastlen > curlen)
            {
                // Carried-over elements beyond the new window are reset to 1 (numpy clips the slice).
                var end = Math.Min(maxj - minj + (lastlen - curlen), lenA);
                for (var idx = maxj - minj; idx < end; idx++)
                {
                    a[idx] = 1;
                }
            }
        }

        return a[maxj - minj - 1];
    }

    private static double SelectAndClip(double cdfProb, double sfProb, bool cdf) =>
        Clip01(cdf ? cdfProb : sfProb);

    // 1 - p rounded once, as SciPy gets it when p is a longdouble (see KolmognDmtwCdf).
    private static double OneMinus(DoubleDouble p) => DoubleDouble.Sub(DoubleDouble.One, p).Hi;

    // np.clip of the (possibly longdouble) probability to [0, 1].
    private static DoubleDouble Clip01(DoubleDouble p)
    {
        if (p.Hi < 0)
        {
            return DoubleDouble.Zero;
        }

        return p.Hi > 1 || (p.Hi == 1 && p.Lo > 0) ? DoubleDouble.One : p;
    }

    // _ksstats.py _kolmogn: Simard & L'Ecuyer's choice of method by n and n*x^2.
    private static double Kolmogn(int n, double x, bool cdf)
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
            var prob = 2 * Smirnov(n, x);
            return SelectAndClip(1.0 - prob, prob, cdf);
        }

        var nxsquared = t * x;
        if (n <= 140)
        {
            if (nxsquared <= 0.754693)
            {
                var prob = KolmognDmtwCdf(n, x);
                return SelectAndClip(prob.Hi, OneMinus(prob), cdf);
            }

            if (nxsquared <= 4)
            {
                var prob = KolmognPomeranzCdf(n, x);
                return SelectAndClip(prob.Hi, OneMinus(prob), cdf);
            }

            // Miller's approximation 2*smirnov; the intersection term is below double precision here.
            var sprob = 2 * Smirnov(n, x);
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
                return Clip01(2 * Smirnov(n, x));
            }
        }

        DoubleDouble cdfprob;
        if (nxsquared >= 18.0)
        {
            cdfprob = DoubleDouble.One;
        }
        else if (n <= 100000 && n * Math.Pow(x, 1.5) <= 1.4)
        {
            cdfprob = KolmognDmtwCdf(n, x);
        }
        else
        {
            cdfprob = new DoubleDouble(KolmognPelzGood(n, x, cdf: true), 0.0);
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

    // _ksstats.py _kolmogn_DMTW(n, d, cdf=True): Durbin's matrix, as Marsaglia-Tsang-Wang compute it: the
    // k-th diagonal entry of H^n times n!/n^n, rescaling by 2^128 and tracking the exponent separately.
    // Multiplying a numpy float64 by SciPy's np.longdouble scale factor silently promotes the scalar to
    // 80-bit extended precision, and SciPy later forms 1 - p in that precision. Plain double would lose
    // up to ~1e-12 relative in small survival probabilities, so from that point on p is carried as a
    // double-double (more precise than 80-bit, so it tracks SciPy to ~1e-16).
    private static DoubleDouble KolmognDmtwCdf(int n, double d)
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
            if (Math.Abs(hm[((k - 1) * m) + k - 1]) > Ep128)
            {
                for (var i = 0; i < hm.Length; i++)
                {
                    hm[i] /= Ep128;
                }

                hexpnt += E128;
            }

            nn /= 2;
        }

        // Multiply by n!/n^n; SciPy's p becomes a longdouble at its first rescale.
        var p = hpwr[((k - 1) * m) + k - 1];
        var factor = 1;
        for (; factor <= n; factor++)
        {
            p = factor * p / n;
            if (Math.Abs(p) < Em128)
            {
                break;
            }
        }

        var pExtended = new DoubleDouble(p, 0.0);
        if (factor <= n)
        {
            pExtended = pExtended.ScaleB(E128);
            expnt -= E128;
            for (factor++; factor <= n; factor++)
            {
                pExtended = DoubleDouble.Div(DoubleDouble.Mul((double)factor, pExtended), n);
                if (Math.Abs(pExtended.Hi) < Em128)
                {
                    pExtended = pExtended.ScaleB(E128);
                    expnt -= E128;
                }
            }
        }

        if (expnt != 0)
        {
            pExtended = pExtended.ScaleB(expnt);
        }

        return Clip01(pExtended);
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
    // underflow. The final n! product turns longdouble at its first rescale, as in KolmognDmtwCdf.
    private static DoubleDouble KolmognPomeranzCdf(int n, double x)
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

                if (maxV1 > 0 && maxV1 < Em128)
                {
                    for (var c = 0; c < v1.Length; c++)
                    {
                        v1[c] *= Ep128;
                    }

                    expnt -= E128;
                }

                v1s = v0s + j1 - k1;
            }
        }

        // Multiply by n!.
        var ans = new DoubleDouble(v1[n - v1s], 0.0);
        var extended = false;
        for (var m = 1; m <= n; m++)
        {
            if (Math.Abs(ans.Hi) > Ep128)
            {
                ans = ans.ScaleB(-E128);
                expnt += E128;
                extended = true;
            }

            ans = extended ? DoubleDouble.Mul((double)m, ans) : new DoubleDouble(ans.Hi * m, 0.0);
        }

        if (expnt != 0)
        {
            ans = ans.ScaleB(expnt);
        }

        return Clip01(ans);
    }

    // _ksstats.py _kolmogn_PelzGood: Li-Chien/Korolyuk's expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5,
    // each term transformed by Pelz-Good via the Jacobi theta functional equation for small z.
    private static double KolmognPelzGood(int n, double x, bool cdf)
    {
        if (x <= 0.0)
        {
            return SelectAndClip(0.0, 1.0, cdf);
        }

        if (x >= 1.0)
        {
            return SelectAndClip(1.0, 0.0, cdf);
        }

        var z = Math.Sqrt(n) * x;
        var zsquared = Math.Pow(z, 2);
        var zthree = Math.Pow(z, 3);
        var zfour = Math.Pow(z, 4);
        var zsix = Math.Pow(z, 6);

        var qlog = -PiSquared / 8 / zsquared;
        if (qlog < MinLogExp)
        {
            return SelectAndClip(0.0, 1.0, cdf);
        }

        var q = Math.Exp(qlog);

        var k1a = -zsquared;
        var k1b = PiSquared / 4;

        var k2a = (6 * zsix) + (2 * zfour);
        var k2b = ((2 * zfour) - (5 * zsquared)) * PiSquared / 4;
        var k2c = PiFour * (1 - (2 * zsquared)) / 16;

        var k3d = PiSix * (5 - (30 * zsquared)) / 64;
        var k3c = PiFour * ((-60 * zsquared) + (212 * zfour)) / 16;
        var k3b = PiSquared * ((135 * zfour) - (96 * zsix)) / 4;
        var k3a = (-30 * zsix) - (90 * Math.Pow(z, 8));

        // Horner scheme over odd m = 2k - 1 for sum c_m q^(m^2).
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        var maxk = (int)Math.Ceiling(16 * z / Math.PI);
        for (var k = maxk; k > 0; k--)
        {
            double m = (2 * k) - 1;
            var msquared = m * m;
            var mfour = msquared * msquared;
            var msix = mfour * msquared;
            var qpower = Math.Pow(q, 8 * k);
            s0 = (s0 * qpower) + 1.0;
            s1 = (s1 * qpower) + (k1a + (k1b * msquared));
            s2 = (s2 * qpower) + (k2a + (k2b * msquared) + (k2c * mfour));
            s3 = (s3 * qpower) + (k3a + (k3b * msquared) + (k3c * mfour) + (k3d * msix));
        }

        s0 = s0 * q * Sqrt2Pi / z;
        s1 = s1 * q * Sqrt2Pi / (6 * zfour);
        s2 = s2 * q * Sqrt2Pi / (72 * Math.Pow(z, 7));
        s3 = s3 * q * Sqrt2Pi / (6480 * Math.Pow(z, 10));

        // The extra K2/K3 terms over all integers k, summed in numpy's (pairwise) order.
        q = Math.Exp(-PiSquared / 2 / zsquared);
        var sqrt3z = Sqrt3 * z;
        Span<double> k2terms = maxk <= 64 ? stackalloc double[maxk] : new double[maxk];
        Span<double> k3terms = maxk <= 64 ? stackalloc double[maxk] : new double[maxk];
        for (var idx = 0; idx < maxk; idx++)
        {
            var k = maxk - idx;
            double ksquared = (long)k * k;
            var kspi = Math.PI * k;
            var qpwer = Math.Pow(q, ksquared);
            k2terms[idx] = ksquared * qpwer;
            k3terms[idx] = (sqrt3z + kspi) * (sqrt3z - kspi) * ksquared * qpwer;
        }

        s2 += PairwiseSum(k2terms) * (PiSquared * Sqrt2Pi / (-36 * zthree));
        s3 += PairwiseSum(k3terms) * (PiSquared * Sqrt2Pi / (216 * zsix));

        s1 /= Math.Pow(n, 0.5);
        s2 /= Math.Pow(n, 1.0);
        s3 /= Math.Pow(n, 1.5);

        if (!cdf)
        {
            s0 = -s0 + 1;
            s1 = -s1;
            s2 = -s2;
            s3 = -s3;
        }

        return s0 + s1 + s2 + s3;
    }

    // numpy's pairwise_sum for float64 (np.sum of a contiguous 1-D array).
    private static double PairwiseSum(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < 8)
        {
            var res = 0.0;
            foreach (var value in a)
            {
                res += value;
            }

            return res;
        }

        if (n <= 128)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            var i = 8;
            for (; i < n - (n % 8); i += 8)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            var res = (r0 + r1 + (r2 + r3)) + (r4 + r5 + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        var n2 = n / 2;
        n2 -= n2 % 8;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }

    // Cephes smirnov -> _smirnov(n, x).sf (kolmogorov.c). The Birnbaum-Tingey sum
    //   sf = x * sum_{v=0}^{floor(n(1-x))} C(n,v) (x + v/n)^(v-1) (1 - x - v/n)^(n-v)
    // is evaluated in double-double with binomials and powers kept as (mantissa, exponent), or via the
    // upper (Dwass) sum when that has at most three terms. The pdf bookkeeping of _smirnov is omitted: it
    // does not influence sf.
    private static double Smirnov(int n, double x)
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
            var t = DoubleDouble.Pow(DoubleDouble.Add(1, x), n - 1).Hi;
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
            return DoubleDouble.Pow(DoubleDouble.Add(1, -x), n).Hi;
        }

        const int smirnovMaxComputeN = 1000000;
        if (n > smirnovMaxComputeN)
        {
            // p ~ e^(-(6nx+1)^2 / 18n); pick the form that keeps a small p-value precise.
            var logp = -Math.Pow((6.0 * n * x) + 1, 2) / 18.0 / n;
            return Clip01(logp < -Math.Log(2) ? Math.Exp(logp) : 1 - (-Expm1(logp)));
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
        var cman = DoubleDouble.One;
        var cexpt = 0;
        DoubleDouble aj;
        if (useUpperSum)
        {
            start = n;
            step = -1;
            nTerms = n - n1mxceil + 1;
            aj = DoubleDouble.Pow4(1, x, 1, 0, n - 1);
        }
        else
        {
            var t2 = DoubleDouble.Pow4(1, -x, 1, 0, n);
            aj = DoubleDouble.Div(t2, x);
        }

        var ajSum = DoubleDouble.Add(DoubleDouble.Zero, aj);
        UpdateBinomial(ref cman, ref cexpt, n, 0);

        for (var j = 1; j < nTerms; j++)
        {
            var v = start + (j * step);
            aj = ComputeAv(n, x, v, cman, cexpt);
            if (aj.IsFinite && !aj.IsZero)
            {
                ajSum = DoubleDouble.Add(ajSum, aj);
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

        var prob = DoubleDouble.Mul(x, ajSum).Hi;
        var sf = step < 0 ? 1 - prob : prob;
        return Clip01(sf);
    }

    // kolmogorov.c modNX: floor(n*x) and the remainder alpha, exactly (n*x computed in double-double).
    private static double ModNX(int n, double x, out int nxFloor)
    {
        var nxD = DoubleDouble.Mul((double)n, x);
        var nxfloorD = nxD.Floor();
        var alpha = DoubleDouble.Sub(nxD, nxfloorD).Hi;
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
    private static void UpdateBinomial(ref DoubleDouble cman, ref int cexpt, int n, int j)
    {
        var rat = DoubleDouble.Div(n - j, j + 1.0);
        var man2 = DoubleDouble.Mul(cman, rat).Frexp(out var expt);
        cexpt += expt;
        cman = man2;
    }

    // kolmogorov.c computeAv: A_v(n, x) = C(n,v) (1 - x - v/n)^(n-v) (x + v/n)^(v-1).
    private static DoubleDouble ComputeAv(int n, double x, int v, DoubleDouble cman, int cexpt)
    {
        var t2x = DoubleDouble.Sub(DoubleDouble.Div(n - v, n), x);
        var t2 = DoubleDouble.Pow2Scaled(t2x, n - v, out var t2E);
        var t1x = DoubleDouble.Add(DoubleDouble.Div(v, n), x);
        var t1 = DoubleDouble.Pow2Scaled(t1x, v - 1, out var t1E);
        var ans = DoubleDouble.Mul(DoubleDouble.Mul(t1, t2), cman);
        return ans.ScaleB(cexpt + t1E + t2E);
    }

    // expm1/log1p without .NET's cancellation-prone Exp(x) - 1 / Log(1 + x) (Kahan's correction).
    private static double Expm1(double x)
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

    private static double Log1p(double x)
    {
        var u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    // The subset of SciPy's double-double package (cephes dd_real.c, dd_idefs.h, dd_real_idefs.h, taken
    // from the QD library) that _smirnov uses, plus kolmogorov.c's pow_D/pow4_D/pow2Scaled_D.
    private readonly record struct DoubleDouble(double Hi, double Lo)
    {
        public static readonly DoubleDouble Zero = new(0.0, 0.0);
        public static readonly DoubleDouble One = new(1.0, 0.0);
        private static readonly DoubleDouble NaN = new(double.NaN, double.NaN);
        private static readonly DoubleDouble Inf = new(double.PositiveInfinity, double.PositiveInfinity);
        private static readonly DoubleDouble NegInf = new(double.NegativeInfinity, double.NegativeInfinity);

        // Keeps both halves normalised (kolmogorov.c _MAX_EXPONENT, below 1023 - 52).
        private const int MaxExponent = 960;

        public bool IsZero => Hi == 0.0;

        public bool IsFinite => double.IsFinite(Hi);

        private static double QuickTwoSum(double a, double b, out double err)
        {
            var s = a + b;
            err = b - (s - a);
            return s;
        }

        private static double TwoSum(double a, double b, out double err)
        {
            var s = a + b;
            var bb = s - a;
            err = (a - (s - bb)) + (b - bb);
            return s;
        }

        private static double TwoDiff(double a, double b, out double err)
        {
            var s = a - b;
            var bb = s - a;
            err = (a - (s - bb)) - (b + bb);
            return s;
        }

        // The error of a*b is exact with a fused multiply-add, as QD's two_split version is.
        private static double TwoProd(double a, double b, out double err)
        {
            var p = a * b;
            err = Math.FusedMultiplyAdd(a, b, -p);
            return p;
        }

        public static DoubleDouble Add(double a, double b) => new(TwoSum(a, b, out var e), e);

        public static DoubleDouble Add(DoubleDouble a, double b)
        {
            var s1 = TwoSum(a.Hi, b, out var s2);
            s2 += a.Lo;
            s1 = QuickTwoSum(s1, s2, out s2);
            return new(s1, s2);
        }

        // dd_ieee_add: IEEE-style error bound (Briggs/Kahan).
        public static DoubleDouble Add(DoubleDouble a, DoubleDouble b)
        {
            var s1 = TwoSum(a.Hi, b.Hi, out var s2);
            var t1 = TwoSum(a.Lo, b.Lo, out var t2);
            s2 += t1;
            s1 = QuickTwoSum(s1, s2, out s2);
            s2 += t2;
            s1 = QuickTwoSum(s1, s2, out s2);
            return new(s1, s2);
        }

        public static DoubleDouble Sub(DoubleDouble a, DoubleDouble b) => Add(a, new DoubleDouble(-b.Hi, -b.Lo));

        public static DoubleDouble Sub(DoubleDouble a, double b)
        {
            var s1 = TwoSum(a.Hi, -b, out var s2);
            s2 += a.Lo;
            s1 = QuickTwoSum(s1, s2, out s2);
            return new(s1, s2);
        }

        public static DoubleDouble Sub(double a, double b) => new(TwoDiff(a, b, out var e), e);

        public static DoubleDouble Mul(double a, double b) => new(TwoProd(a, b, out var e), e);

        public static DoubleDouble Mul(DoubleDouble a, DoubleDouble b)
        {
            var p1 = TwoProd(a.Hi, b.Hi, out var p2);
            p2 += (a.Hi * b.Lo) + (a.Lo * b.Hi);
            p1 = QuickTwoSum(p1, p2, out p2);
            return new(p1, p2);
        }

        public static DoubleDouble Mul(double a, DoubleDouble b)
        {
            var p1 = TwoProd(a, b.Hi, out var e1);
            var p2 = TwoProd(a, b.Lo, out var e2);
            p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
            return new(p1, e1);
        }

        private static DoubleDouble Mul(DoubleDouble a, double b)
        {
            var p1 = TwoProd(a.Hi, b, out var e1);
            var p2 = TwoProd(a.Lo, b, out var e2);
            p1 = QuickTwoSum(p1, e2 + p2 + e1, out e1);
            return new(p1, e1);
        }

        // dd_accurate_div.
        public static DoubleDouble Div(DoubleDouble a, DoubleDouble b)
        {
            var q1 = a.Hi / b.Hi;
            var r = Sub(a, Mul(b, q1));
            var q2 = r.Hi / b.Hi;
            r = Sub(r, Mul(b, q2));
            var q3 = r.Hi / b.Hi;
            q1 = QuickTwoSum(q1, q2, out q2);
            return Add(new DoubleDouble(q1, q2), q3);
        }

        public static DoubleDouble Div(double a, double b) => Div(new DoubleDouble(a, 0), new DoubleDouble(b, 0));

        public static DoubleDouble Div(DoubleDouble a, double b) => Div(a, new DoubleDouble(b, 0));

        private static DoubleDouble Inv(DoubleDouble a) => Div(One, a);

        public DoubleDouble Floor()
        {
            var hi = Math.Floor(Hi);
            var lo = 0.0;
            if (hi == Hi)
            {
                // High word is an integer already; round the low word.
                lo = Math.Floor(Lo);
                hi = QuickTwoSum(hi, lo, out lo);
            }

            return new(hi, lo);
        }

        public DoubleDouble ScaleB(int expt) => new(Math.ScaleB(Hi, expt), Math.ScaleB(Lo, expt));

        // dd_frexp: 0.5 <= |hi| < 1, or |hi| == 1 with hi*lo < 0.
        public DoubleDouble Frexp(out int expt)
        {
            var man = FrexpDouble(Hi, out var exponent);
            var b1 = Math.ScaleB(Lo, -exponent);
            if (Math.Abs(man) == 0.5 && man * b1 < 0)
            {
                man *= 2;
                b1 *= 2;
                exponent -= 1;
            }

            expt = exponent;
            return new(man, b1);
        }

        private static double FrexpDouble(double x, out int exponent)
        {
            if (x == 0 || !double.IsFinite(x))
            {
                exponent = 0;
                return x;
            }

            exponent = Math.ILogB(x) + 1;
            return Math.ScaleB(x, -exponent);
        }

        // kolmogorov.c pow_D: a^m with pow() on the high word and a first-order correction for the low.
        public static DoubleDouble Pow(DoubleDouble a, int m)
        {
            if (m <= 0)
            {
                return m == 0 ? One : Inv(Pow(a, -m));
            }

            if (a.IsZero)
            {
                return Zero;
            }

            var ans = Math.Pow(a.Hi, m);
            var r = a.Lo / a.Hi;
            var adj = m * r;
            if (Math.Abs(adj) > 1e-8)
            {
                adj = Math.Abs(adj) < 1e-4
                    ? adj + (m * r * ((m - 1) / 2.0 * r))
                    : Expm1(m * Log1p(r));
            }

            return Add(ans, ans * adj);
        }

        // kolmogorov.c pow4_D: ((a + b)/(c + d))^m.
        public static DoubleDouble Pow4(double a, double b, double c, double d, int m)
        {
            if (m <= 0)
            {
                return m == 0 ? One : Pow4(c, d, a, b, -m);
            }

            var numerator = Add(a, b);
            var denominator = Add(c, d);
            if (numerator.IsZero)
            {
                return denominator.IsZero ? NaN : Zero;
            }

            if (denominator.IsZero)
            {
                return numerator.Hi < 0 ? NegInf : Inf;
            }

            return Pow(Div(numerator, denominator), m);
        }

        // kolmogorov.c pow2Scaled_D: a^m = significand * 2^exponent, splitting the power when it would
        // leave the double exponent range.
        public static DoubleDouble Pow2Scaled(DoubleDouble a, int m, out int exponent)
        {
            if (m <= 0)
            {
                if (m == 0)
                {
                    exponent = 0;
                    return One;
                }

                var inverse = Pow2Scaled(a, -m, out var aE1);
                var result = Inv(inverse).Frexp(out var aE2);
                exponent = -aE1 + aE2;
                return result;
            }

            var y = a.Frexp(out var yE);
            if (m == 1)
            {
                exponent = yE;
                return y;
            }

            var maxExpt = MaxExponent;
            if (m * (y.Hi - 1) / y.Hi < -MaxExponent * Math.Log(2))
            {
                // Now do it carefully, calling log().
                var lg2y = Math.Log(y.Hi) / Math.Log(2);
                var lgAns = m * lg2y;
                if (lgAns <= -MaxExponent)
                {
                    maxExpt = (int)(NextPowerOf2((-MaxExponent / lg2y) + 1) / 2);
                }
            }

            int ansE;
            DoubleDouble ans;
            if (m <= maxExpt)
            {
                ans = Pow(y, m).Frexp(out ansE);
                exponent = ansE + (m * yE);
                return ans;
            }

            var q = m / maxExpt;
            var r = m % maxExpt;

            // y^m = (y^maxExpt)^q * y^r
            var y2r = Pow2Scaled(y, r, out var y2rE);
            var y2m = Pow2Scaled(y, maxExpt, out var y2mE);
            var y2mq = Pow2Scaled(y2m, q, out var y2mqE);
            ans = Mul(y2r, y2mq).Frexp(out ansE);
            y2mqE += y2mE * q;
            ansE += y2mqE + y2rE;
            ansE += m * yE;
            exponent = ansE;
            return ans;
        }

        private static double NextPowerOf2(double x)
        {
            var q = Math.ScaleB(x, 1 - 53);
            var l = Math.Abs(q + x);
            if (l == 0)
            {
                l = Math.Abs(x);
            }
            else
            {
                var lint = (int)l;
                if (lint == l)
                {
                    l = lint;
                }
            }

            return l;
        }
    }
}
