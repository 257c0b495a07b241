using System.Collections.Concurrent;
using MlOps.Contracts.Lifecycle;

namespace MlOps.Registry.Tests.Hosting;

/// <summary>What <see cref="LifecycleEventRecorder"/> has consumed so far.</summary>
public sealed class ReceivedLifecycleEvents
{
    public ConcurrentQueue<ModelPromoted> Promoted { get; } = new();

    public ConcurrentQueue<ModelRolledBack> RolledBack { get; } = new();
}
