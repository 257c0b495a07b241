namespace MlOps.Statistics.Distributions;

/// <summary>
/// Exact two-sided two-sample KS p-value by counting lattice paths, as SciPy's <c>ks_2samp</c> does
/// (<c>scipy/stats/_stats_py.py</c>, <c>_stats_pythran.py</c>).
/// </summary>
internal static class TwoSampleExact
{
    // _stats_py.py _attempt_exact_2kssamp, alternative='two-sided'. SciPy raises on floating-point
    // overflow/invalid; neither path below can overflow (all intermediates are probabilities), so the
    // only failure left is a result outside [0, 1].
    internal static bool AttemptExact2KsSamp(int n1, int n2, double d, out double roundedD, out double prob)
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
}
