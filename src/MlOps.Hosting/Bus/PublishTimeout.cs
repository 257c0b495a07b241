using MassTransit;

namespace MlOps.Hosting.Bus;

/// <summary>
/// Publishes that give up after <see cref="BusOptions.PublishTimeout"/>: a publish whose confirm never comes (the
/// broker restarted under it) fails with a <see cref="TimeoutException"/> that the caller's retry handles, instead of
/// waiting forever.
/// </summary>
public static class PublishTimeout
{
    /// <summary>Runs <paramref name="publish"/> with a token that ends at the timeout or with <paramref name="cancellationToken"/>.</summary>
    /// <exception cref="TimeoutException">The broker did not confirm in time (the message may or may not have arrived).</exception>
    public static async Task WithinAsync(this BusOptions options, Func<CancellationToken, Task> publish, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(publish);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        try
        {
            // WaitAsync too: a publish that ignored its token would otherwise still hold the caller.
            await publish(timeout.Token).WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The broker did not confirm a publish within {options.PublishTimeout.TotalSeconds:0.#} s (MlOps:Bus:PublishTimeout).");
        }
    }

    /// <summary>
    /// Bounds every delivery of a consumer or saga: its consume context's token (which its publishes, including those
    /// an in-memory outbox makes after the consumer returns, wait with) ends at the publish timeout. Place it outside
    /// the outbox, inside the retry, so a timed-out delivery is retried and the receive endpoint can always restart.
    /// </summary>
    public static void UsePublishTimeout<TSaga>(this ISagaConfigurator<TSaga> configurator, BusOptions options) where TSaga : class, ISaga
    {
        ArgumentNullException.ThrowIfNull(options);
        configurator.UseTimeout(t => t.Timeout = options.PublishTimeout);
    }
}
