namespace MlOps.Hosting;

/// <summary>The tick loop of the platform's background services.</summary>
public static class PeriodicTimerExtensions
{
    /// <summary>
    /// Waits for the next tick; false once <paramref name="stoppingToken"/> is cancelled, instead of throwing. A host
    /// that fails to start (a port in use) cancels its services' tokens without stopping them first, and the
    /// exception was then logged as the service failing, critical, after the error that mattered.
    /// </summary>
    public static async ValueTask<bool> TickAsync(this PeriodicTimer timer, CancellationToken stoppingToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
