namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// The fault scenarios run one after another and after the rest of the assembly: each starts its own cluster, several
/// monitor instances and sometimes a database or broker, and on a 2-core machine their consumer-group joins and
/// recoveries must not be starved by each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "faults";
}
