using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;

namespace MlOps.Monitoring.Results;

/// <summary>
/// Where a window's result goes once the store holds it. The store write itself stays in <see cref="WindowCloser"/>:
/// it is the step that decides, across monitor instances, which one closed the window, so sinks run once per window.
/// </summary>
public interface IWindowResultSink
{
    /// <summary>A window was evaluated and stored.</summary>
    Task OnClosedAsync(WindowResult result, ModelContext model, CancellationToken cancellationToken);

    /// <summary>Outcomes that arrived after the window was stored updated its performance.</summary>
    Task OnPerformanceUpdatedAsync(WindowResult result, CancellationToken cancellationToken);
}
