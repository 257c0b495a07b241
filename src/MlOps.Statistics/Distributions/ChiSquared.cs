namespace MlOps.Statistics.Distributions;

/// <summary>
/// The chi-square distribution's upper tail, ported from SciPy 1.10's Cephes <c>chdtrc</c>/<c>igamc</c>
/// (<c>scipy/special/cephes/chdtr.c</c>, <c>igam.c</c>, <c>igam.h</c>, <c>gamma.c</c>, <c>lanczos.c</c>,
/// <c>unity.c</c>, <c>zeta.c</c>).
/// </summary>
/// <remarks>
/// MathNet.Numerics' <c>GammaUpperRegularized</c> was measured against SciPy first and is off by up to
/// 2.7e-12 relative for large degrees of freedom near the centre (e.g. dof 5000, x 5000.5), where SciPy
/// uses the Temme uniform asymptotic series; hence this port.
/// </remarks>
public static class ChiSquared
{
    /// <summary>
    /// P(X &gt; x) for X ~ chi-square with <paramref name="degreesOfFreedom"/>; equals
    /// <c>scipy.stats.chi2.sf(x, degreesOfFreedom)</c> (= <c>scipy.special.chdtrc</c> = Cephes
    /// <c>igamc(dof/2, x/2)</c>). Results below the smallest double underflow to 0, as in SciPy.
    /// </summary>
    /// <param name="x">The statistic.</param>
    /// <param name="degreesOfFreedom">Degrees of freedom, &gt; 0 (need not be an integer).</param>
    /// <returns>The upper-tail probability; 1 for x &lt;= 0; NaN for invalid arguments.</returns>
    public static double Sf(double x, double degreesOfFreedom)
    {
        // rv_continuous.sf: invalid shape or NaN x -> nan; x at or below the support's start -> 1.
        if (double.IsNaN(x) || double.IsNaN(degreesOfFreedom) || !(degreesOfFreedom > 0))
        {
            return double.NaN;
        }

        if (x <= 0)
        {
            return 1.0;
        }

        return IncompleteGamma.Igamc(degreesOfFreedom / 2.0, x / 2.0);
    }
}
