namespace MlOps.Statistics.Distributions;

/// <summary>
/// The Pelz–Good asymptotic expansion of the <c>kstwo</c> distribution for large n (SciPy's
/// <c>_kolmogn_PelzGood</c>).
/// </summary>
internal static class KolmogorovPelzGood
{
    private const int MinLogExp = -708; // _ksstats.py _MIN_LOG

    private static readonly double Sqrt2Pi = Math.Sqrt(2 * Math.PI);
    private static readonly double Sqrt3 = Math.Sqrt(3);
    private static readonly double PiSquared = Math.Pow(Math.PI, 2);
    private static readonly double PiFour = Math.Pow(Math.PI, 4);
    private static readonly double PiSix = Math.Pow(Math.PI, 6);

    // _ksstats.py _kolmogn_PelzGood: Li-Chien/Korolyuk's expansion K0 + K1/sqrt(n) + K2/n + K3/n^1.5,
    // each term transformed by Pelz-Good via the Jacobi theta functional equation for small z.
    internal static double Probability(int n, double x, bool cdf)
    {
        if (x <= 0.0)
        {
            return KolmogorovOneSample.SelectAndClip(0.0, 1.0, cdf);
        }

        if (x >= 1.0)
        {
            return KolmogorovOneSample.SelectAndClip(1.0, 0.0, cdf);
        }

        var z = Math.Sqrt(n) * x;
        var zsquared = Math.Pow(z, 2);
        var zthree = Math.Pow(z, 3);
        var zfour = Math.Pow(z, 4);
        var zsix = Math.Pow(z, 6);

        var qlog = -PiSquared / 8 / zsquared;
        if (qlog < MinLogExp)
        {
            return KolmogorovOneSample.SelectAndClip(0.0, 1.0, cdf);
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
}
