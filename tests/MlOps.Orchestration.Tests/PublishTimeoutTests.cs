using MlOps.Hosting.Bus;

namespace MlOps.Orchestration.Tests;

/// <summary>
/// <see cref="PublishTimeout.WithinAsync"/>: a publish whose confirm never comes (RabbitMQ.Client 7 after a broker
/// restart) ends as a <see cref="TimeoutException"/> the caller retries; the caller's own cancellation still cancels.
/// </summary>
public sealed class PublishTimeoutTests
{
    private static readonly BusOptions Options = new() { PublishTimeout = TimeSpan.FromMilliseconds(200) };

    [Fact]
    public async Task A_publish_that_never_completes_times_out_with_a_message_naming_the_setting()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<TimeoutException>(() => Options.WithinAsync(token => Task.Delay(Timeout.Infinite, token), CancellationToken.None));

        Assert.Contains("MlOps:Bus:PublishTimeout", e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(150), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_a_timeout()
    {
        using var stopping = new CancellationTokenSource();
        var publish = Options.WithinAsync(token => Task.Delay(Timeout.Infinite, token), stopping.Token);
        await stopping.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => publish);
    }

    [Fact]
    public async Task A_confirmed_publish_passes_and_its_failure_is_its_own()
    {
        bool ran = false;
        await Options.WithinAsync(_ => { ran = true; return Task.CompletedTask; }, CancellationToken.None);
        Assert.True(ran);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Options.WithinAsync(_ => throw new InvalidOperationException("refused"), CancellationToken.None));
    }
}
