// TEMPORARY until the SciPy ports land: lets the rest compile. Delete when KolmogorovSmirnov.cs etc. exist.
namespace MlOps.Statistics.Distributions;

public static class KolmogorovSmirnov
{
    public static double TwoSamplePValue(int n1, int n2, double d) => double.NaN;

    public static double TwoSampleAsymptoticPValue(int n1, int n2, double d) => double.NaN;
}

public static class ChiSquared
{
    public static double Sf(double x, double degreesOfFreedom) => MathNet.Numerics.SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2, x / 2);
}

public static class StandardNormal
{
    public static double Sf(double z) => 0.5 * MathNet.Numerics.SpecialFunctions.Erfc(z / Math.Sqrt(2));
}
