namespace MlOps.Cli;

/// <summary>The process exit codes of <c>mlops</c>.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for <c>drift --fail-on-drift</c>, no dataset drift.</summary>
    public const int Ok = 0;

    /// <summary><c>drift --fail-on-drift</c> found dataset drift.</summary>
    public const int DriftDetected = 1;

    /// <summary>Bad arguments or bad input files.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted (Ctrl+C).</summary>
    public const int Cancelled = 130;
}
