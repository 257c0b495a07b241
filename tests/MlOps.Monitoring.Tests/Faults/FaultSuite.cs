namespace MlOps.Monitoring.Tests.Faults;

/// <summary>The fault suite (index filled in below).</summary>
internal static class FaultSuite;
