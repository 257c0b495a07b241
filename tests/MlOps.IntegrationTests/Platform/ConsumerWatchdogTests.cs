using System.Globalization;
using System.Text.Json;
using MassTransit;
using MlOps.Contracts.Retraining;

namespace MlOps.IntegrationTests.Platform;

/// <summary>
/// A receive endpoint whose consumer the broker dropped without its client hearing of it — the state MassTransit's
/// endpoints were found in after RabbitMQ restarts (ready messages, no consumer, nothing logged; a dump showed each
/// still waiting on its old channel). A proxy makes the broker close the notifications' channel and hides the close;
/// the consumer watchdog sees the queue without a consumer, restarts the endpoint, and the alert sent meanwhile is
/// recorded. On a RabbitMQ node of the test's own.
/// </summary>
public sealed class ConsumerWatchdogTests : IAsyncLifetime
{
    private const string Queue = "AlertConsumers";

    private ProxiedRabbitMq<AmqpConsumerCutter>? _broker;
    private TestPlatform? _platform;

    public async Task InitializeAsync()
    {
        _broker = await ProxiedRabbitMq<AmqpConsumerCutter>.StartAsync(port => new AmqpConsumerCutter(port));
        var settings = _broker.BusSettings();
        settings["MlOps:Bus:ConsumerCheckInterval"] = "00:00:01";
        settings["Logging:LogLevel:MlOps.Hosting.Bus"] = "Debug";
        _platform = await TestPlatform.StartAsync(settings, services: [MlOps.Platform.Services.Registry, MlOps.Platform.Services.Notifications]);
    }

    public async Task DisposeAsync()
    {
        if (_platform is not null)
            await _platform.DisposeAsync();
        if (_broker is not null)
            await _broker.DisposeAsync();
    }

    [Fact]
    public async Task An_endpoint_whose_consumer_the_broker_dropped_unseen_is_restarted_and_gets_what_waited_in_its_queue()
    {
        var platform = _platform!;
        using var http = new HttpClient { BaseAddress = platform.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", platform.Platform.Keys["viewer"]);
        await Eventually.HoldsAsync(() => _broker!.Proxy.Queues.Contains(Queue), $"the notifications consume {Queue}");

        await _broker!.Proxy.CutAsync(Queue, TimeSpan.FromSeconds(10));
        Assert.Equal(0, await ConsumersAsync());
        await platform.Get<IBus>().Publish(new RetrainingFailed
        {
            RunId = Guid.NewGuid(),
            Model = "watched",
            Step = "training",
            Reason = "sent while the endpoint had no consumer",
            Attempts = 3,
            Timestamp = DateTimeOffset.UtcNow,
        });

        await Eventually.HoldsAsync(async () =>
        {
            using var alerts = JsonDocument.Parse(await http.GetStringAsync(new Uri("api/alerts?model=watched", UriKind.Relative)));
            return alerts.RootElement.GetArrayLength() == 1;
        }, "the restarted endpoint records the alert that waited in its queue", () => MetricsPage.Counters(http), TimeSpan.FromSeconds(90));
        string metrics = await http.GetStringAsync(new Uri("metrics", UriKind.Relative));
        Assert.Contains($"mlops_bus_endpoint_restarts_total{{queue=\"{Queue}\"}} 1", metrics, StringComparison.Ordinal);
        Assert.Equal(1, await ConsumersAsync());
    }

    // The broker's count of the queue's consumers (rabbitmqctl list_queues: name, ready, unacknowledged, consumers).
    private async Task<int> ConsumersAsync()
    {
        string line = (await _broker!.Node.ListQueuesAsync("/")).Split('\n').Single(l => l.StartsWith(Queue + "\t", StringComparison.Ordinal));
        return int.Parse(line.Split('\t')[^1].Trim(), CultureInfo.InvariantCulture);
    }
}
