namespace MlOps.Statistics.Distributions;

/// <summary>Cephes <c>const.c</c> constants shared by the ports.</summary>
internal static class CephesConstants
{
    // 2^-53, Cephes MACHEP.
    internal const double MachEp = 1.11022302462515654042E-16;

    // log(DBL_MAX), Cephes const.c MAXLOG (SciPy builds Cephes with DENORMAL).
    internal const double MaxLog = 7.09782712893383996732E2;
}
