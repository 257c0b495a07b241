namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// How big the fault scenarios are. The short variant (default) runs in CI; <c>MLOPS_FAULTS_LONG=1</c> runs the same
/// tests by hand with more events per window, more windows and longer outages.
/// </summary>
internal static class FaultScale
{
    public static bool Long { get; } = Environment.GetEnvironmentVariable("MLOPS_FAULTS_LONG") is "1" or "true" or "yes";

    /// <summary>Predictions per model and window.</summary>
    public static int EventsPerWindow => Long ? 12_000 : 400;

    /// <summary>One-minute windows per model.</summary>
    public static int Windows => Long ? 6 : 3;

    /// <summary>How long a broker, database or RabbitMQ stays down.</summary>
    public static TimeSpan Outage => Long ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(1.5);

    /// <summary>The bound on recovery: everything produced is counted, every alert delivered, within this time after the fault ends.</summary>
    public static TimeSpan Recovery => Long ? TimeSpan.FromMinutes(4) : TimeSpan.FromSeconds(60);
}
