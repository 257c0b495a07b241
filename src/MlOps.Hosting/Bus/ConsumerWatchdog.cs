using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace MlOps.Hosting.Bus;

/// <summary>
/// Keeps this process's RabbitMQ receive endpoints consuming. After a broker restart MassTransit 8.5 now and then
/// leaves an endpoint believing its consumer runs on a channel the broker has already closed (its queue fills, shows no
/// consumer, and nothing is logged; MassTransit #5692 and #6001 look alike). Every
/// <see cref="BusOptions.ConsumerCheckInterval"/> the watchdog asks the broker, on a connection of its own, how many
/// consumers each queue of an endpoint MassTransit reports ready has; a queue without any at two checks in a row has
/// its endpoint stopped and started again (<c>mlops_bus_endpoint_restarts_total{queue}</c>). An endpoint that does
/// not stop within 60 s stops the process (exit code 75), for its supervisor to start again. A stop takes about 20 s:
/// the consumer's cancel goes to a channel the broker has closed, and RabbitMQ.Client gives up on its answer after its
/// 20 s continuation timeout.
/// </summary>
/// <remarks>
/// The broker counts every consumer of a queue: with several instances on one queue, a lost consumer is found once
/// none of them has one left. An exclusive queue (a broadcast consumer's) cannot be asked from another connection;
/// the broker answers that its owner's connection is alive, and it is not checked further.
/// </remarks>
public sealed partial class ConsumerWatchdog(
    IOptions<BusOptions> options,
    ReceiveEndpointTracker endpoints,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<ConsumerWatchdog> logger) : BackgroundService
{
    /// <summary>Exit code of a process whose endpoint would not stop (EX_TEMPFAIL: start it again).</summary>
    public const int StuckExitCode = 75;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(60);

    private static readonly Counter Restarts = Metrics.CreateCounter(
        "mlops_bus_endpoint_restarts_total", "Receive endpoints restarted because the broker had no consumer on their queue while MassTransit reported them consuming.", "queue");

    private readonly Dictionary<string, DateTimeOffset> _empty = new(StringComparer.Ordinal);
    private IConnection? _connection;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ConsumerCheckInterval, time);
        try
        {
            while (await timer.TickAsync(stoppingToken))
            {
                try
                {
                    await CheckAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The broker is away (MassTransit reconnects by itself meanwhile): start afresh when it is back.
                    LogCheckFailed(e.Message);
                    _empty.Clear();
                    await DropConnectionAsync();
                }
            }
        }
        finally
        {
            await DropConnectionAsync();
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var connection = _connection is { IsOpen: true } open ? open : await ConnectAsync(cancellationToken);
        var now = time.GetUtcNow();
        var restarts = new List<Task>();
        foreach (var (queue, endpoint) in endpoints.Consuming())
        {
            uint? consumers = await ConsumersAsync(connection, queue, cancellationToken);
            if (consumers != 0)
            {
                _empty.Remove(queue);
                continue;
            }

            if (!_empty.TryGetValue(queue, out var since))
            {
                _empty[queue] = now;
                continue;
            }

            _empty.Remove(queue);
            restarts.Add(RestartAsync(queue, endpoint, now - since, cancellationToken));
        }

        // Together: each stop waits about 20 s for a cancel the broker will not answer.
        await Task.WhenAll(restarts);
    }

    private async Task<IConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await DropConnectionAsync();
        var o = options.Value;
        var factory = new ConnectionFactory
        {
            HostName = o.Host,
            Port = o.Port,
            VirtualHost = o.VirtualHost,
            UserName = o.Username,
            Password = o.Password,
            AutomaticRecoveryEnabled = false,
            ClientProvidedName = "mlops-consumer-watchdog",
        };
        _connection = await factory.CreateConnectionAsync(cancellationToken);
        return _connection;
    }

    // The queue's consumers; 0 when it is gone; null when the broker will not say (exclusive to another connection).
    private static async Task<uint?> ConsumersAsync(IConnection connection, string queue, CancellationToken cancellationToken)
    {
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue, cancellationToken)).ConsumerCount;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
        catch (OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 405)
        {
            return null;
        }
    }

    private async Task RestartAsync(string queue, IReceiveEndpoint endpoint, TimeSpan empty, CancellationToken cancellationToken)
    {
        LogRestarting(queue, empty.TotalSeconds);
        Restarts.WithLabels(queue).Inc();
        endpoints.Stopped(endpoint);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(StopTimeout);
        try
        {
            await endpoint.Stop(stop.Token).WaitAsync(stop.Token);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LogStopFailed(e, queue, StopTimeout.TotalSeconds, StuckExitCode);
            Environment.ExitCode = StuckExitCode;
            lifetime.StopApplication();
            return;
        }

        endpoint.Start(cancellationToken);
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is { } connection)
        {
            _connection = null;
            try
            {
                await connection.DisposeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Already broken: nothing to release.
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Receive endpoint {Queue} has had no consumer on the broker for {Seconds:0} s although MassTransit reports it consuming (a channel lost in a broker restart): restarting the endpoint")]
    private partial void LogRestarting(string queue, double seconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Receive endpoint {Queue} did not stop within {Seconds} s after losing its consumer; stopping the process (exit code {ExitCode}) for its supervisor to start it again")]
    private partial void LogStopFailed(Exception exception, string queue, double seconds, int exitCode);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Checking the broker's consumers failed ({Reason}); checking again at the next tick")]
    private partial void LogCheckFailed(string reason);
}

/// <summary>The receive endpoints of this process and whether MassTransit reports each consuming (ready and started).</summary>
public sealed class ReceiveEndpointTracker : IReceiveEndpointObserver
{
    private readonly ConcurrentDictionary<Uri, (IReceiveEndpoint Endpoint, bool Consuming)> _endpoints = new();

    /// <summary>The queue and endpoint of every endpoint reported consuming.</summary>
    public IReadOnlyList<(string Queue, IReceiveEndpoint Endpoint)> Consuming() =>
        [.. _endpoints.Where(e => e.Value.Consuming).Select(e => (QueueOf(e.Key), e.Value.Endpoint))];

    // The queue of a RabbitMQ input address: its last path segment.
    private static string QueueOf(Uri inputAddress) => Uri.UnescapeDataString(inputAddress.AbsolutePath.TrimEnd('/').Split('/')[^1]);

    internal void Stopped(IReceiveEndpoint endpoint) => _endpoints[endpoint.InputAddress] = (endpoint, false);

    /// <inheritdoc />
    public Task Ready(ReceiveEndpointReady ready)
    {
        ArgumentNullException.ThrowIfNull(ready);
        _endpoints[ready.InputAddress] = (ready.ReceiveEndpoint, ready.IsStarted);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Stopping(ReceiveEndpointStopping stopping) => NotConsuming(stopping);

    /// <inheritdoc />
    public Task Completed(ReceiveEndpointCompleted completed) => NotConsuming(completed);

    /// <inheritdoc />
    public Task Faulted(ReceiveEndpointFaulted faulted) => NotConsuming(faulted);

    private Task NotConsuming(ReceiveEndpointEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _endpoints[e.InputAddress] = (e.ReceiveEndpoint, false);
        return Task.CompletedTask;
    }
}
