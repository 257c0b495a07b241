namespace MlOps.Statistics.Distributions;

/// <summary>
/// The standard normal distribution, computed exactly as SciPy 1.10 does (Cephes <c>ndtr</c>,
/// <c>erf</c> and <c>erfc</c> from <c>scipy/special/cephes/ndtr.c</c>), so tail probabilities agree with
/// <c>scipy.stats.norm</c> to the last few bits rather than to a generic erfc's accuracy.
/// </summary>
public static class StandardNormal
{
    private const double Sqrt1Over2 = 0.70710678118654752440;

    // erfc(x) = exp(-x^2) P(x)/Q(x) for 1 <= x < 8.
    private static readonly double[] P =
    [
        2.46196981473530512524E-10, 5.64189564831068821977E-1, 7.46321056442269912687E0,
        4.86371970985681366614E1, 1.96520832956077098242E2, 5.26445194995477358631E2,
        9.34528527171957607540E2, 1.02755188689515710272E3, 5.57535335369399327526E2,
    ];

    private static readonly double[] Q =
    [
        1.32281951154744992508E1, 8.67072140885989742329E1, 3.54937778887819891062E2,
        9.75708501743205489753E2, 1.82390916687909736289E3, 2.24633760818710981792E3,
        1.65666309194161350182E3, 5.57535340817727675546E2,
    ];

    // erfc(x) = exp(-x^2) R(x)/S(x) for x >= 8.
    private static readonly double[] R =
    [
        5.64189583547755073984E-1, 1.27536670759978104416E0, 5.01905042251180477414E0,
        6.16021097993053585195E0, 7.40974269950448939160E0, 2.97886665372100240670E0,
    ];

    private static readonly double[] S =
    [
        2.26052863220117276590E0, 9.39603524938001434673E0, 1.20489539808096656605E1,
        1.70814450747565897222E1, 9.60896809063285878198E0, 3.36907645100081516050E0,
    ];

    // erf(x) = x T(x^2)/U(x^2) for |x| <= 1.
    private static readonly double[] T =
    [
        9.60497373987051638749E0, 9.00260197203842689217E1, 2.23200534594684319226E3,
        7.00332514112805075473E3, 5.55923013010394962768E4,
    ];

    private static readonly double[] U =
    [
        3.35617141647503099647E1, 5.21357949780152679795E2, 4.59432382970980127987E3,
        2.26290000613890934246E4, 4.92673942608635921086E4,
    ];

    /// <summary>
    /// P(Z &lt;= z) for a standard normal Z; equals <c>scipy.stats.norm.cdf(z)</c>
    /// (= <c>scipy.special.ndtr(z)</c>, Cephes <c>ndtr</c>).
    /// </summary>
    /// <param name="z">The quantile.</param>
    /// <returns>The lower-tail probability; NaN when <paramref name="z"/> is NaN.</returns>
    public static double Cdf(double z)
    {
        if (double.IsNaN(z))
        {
            return double.NaN;
        }

        // Cephes ndtr: near 0 use erf (no cancellation there); elsewhere erfc of |x|, which keeps the
        // lower tail accurate down to the underflow threshold.
        var x = z * Sqrt1Over2;
        var absX = Math.Abs(x);
        if (absX < Sqrt1Over2)
        {
            return 0.5 + (0.5 * Erf(x));
        }

        var y = 0.5 * Erfc(absX);
        return x > 0 ? 1.0 - y : y;
    }

    /// <summary>
    /// P(Z &gt; z) for a standard normal Z; equals <c>scipy.stats.norm.sf(z)</c>, which SciPy computes as
    /// <c>ndtr(-z)</c>, so the upper tail keeps full relative precision (e.g. <c>Sf(10)</c> ≈ 7.62e-24).
    /// </summary>
    /// <param name="z">The quantile.</param>
    /// <returns>The upper-tail probability; NaN when <paramref name="z"/> is NaN.</returns>
    public static double Sf(double z) => Cdf(-z);

    /// <summary>Cephes <c>erfc</c> (scipy/special/cephes/ndtr.c), shared with the incomplete gamma port.</summary>
    internal static double Erfc(double a)
    {
        if (double.IsNaN(a))
        {
            return double.NaN;
        }

        var x = Math.Abs(a);
        if (x < 1.0)
        {
            return 1.0 - Erf(a);
        }

        var z = -a * a;
        if (z < -CephesConstants.MaxLog)
        {
            return a < 0 ? 2.0 : 0.0;
        }

        z = Math.Exp(z);
        double p, q;
        if (x < 8.0)
        {
            p = Polynomials.Polevl(x, P, 8);
            q = Polynomials.P1evl(x, Q, 8);
        }
        else
        {
            p = Polynomials.Polevl(x, R, 5);
            q = Polynomials.P1evl(x, S, 6);
        }

        var y = z * p / q;
        if (a < 0)
        {
            y = 2.0 - y;
        }

        // Cephes reports underflow and returns the limit when the product underflowed to zero.
        if (y != 0.0)
        {
            return y;
        }

        return a < 0 ? 2.0 : 0.0;
    }

    /// <summary>Cephes <c>erf</c> (scipy/special/cephes/ndtr.c).</summary>
    internal static double Erf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0.0)
        {
            return -Erf(-x);
        }

        if (Math.Abs(x) > 1.0)
        {
            return 1.0 - Erfc(x);
        }

        var z = x * x;
        return x * Polynomials.Polevl(z, T, 4) / Polynomials.P1evl(z, U, 5);
    }
}
