using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Registry.Lifecycle;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>
/// The registry on a real RabbitMQ node (its own) that stops answering: a proxy holds the broker's bytes, so every
/// publish is taken and never confirmed — what RabbitMQ.Client 7 waits on forever after a broker restart mid-publish.
/// Found by the RabbitMQ-restart fault scenario: a version registration published <c>ModelVersionRegistered</c> into a
/// lost confirm, its request never answered, and the trainer waiting for it held its <c>TrainModel</c> delivery.
/// </summary>
public sealed class BrokerStallTests : IAsyncLifetime
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(1);

    private ProxiedRabbitMq<StallingProxy>? _broker;
    private IsolatedRegistry? _registry;

    public async Task InitializeAsync()
    {
        _broker = await ProxiedRabbitMq<StallingProxy>.StartAsync(port => new StallingProxy(port));
        var settings = _broker.BusSettings();
        settings["MlOps:Bus:PublishTimeout"] = PublishTimeout.ToString();
        _registry = await IsolatedRegistry.StartAsync(StorageProvider.Sqlite, settings);
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
            await _registry.DisposeAsync();
        if (_broker is not null)
            await _broker.DisposeAsync();
    }

    [Fact]
    public async Task Changes_answer_within_the_publish_timeout_while_the_broker_is_silent_and_their_events_follow_in_order_once_it_answers()
    {
        var registry = _registry!.Driver;
        var app = _registry.App;
        var redelivery = app.Services.GetRequiredService<LifecycleRedelivery>();
        // The bus is up and every lifecycle exchange declared: what follows waits only for confirms.
        await registry.SeedModelAsync("warm", versions: 2);
        string warm = await registry.PromoteAsync("warm", "2");
        await Eventually.HoldsAsync(() => app.Events.Promoted.Any(e => e.PromotionId == warm), "the warm-up promotion is consumed from RabbitMQ");

        _broker!.Proxy.Stall();
        var clock = Stopwatch.StartNew();
        // Without the bound each of these requests waited for ever (here: until the 30 s below).
        var changes = Task.Run(async () =>
        {
            await registry.SeedModelAsync("churn", versions: 3);
            return (await registry.PromoteAsync("churn", "2"), await registry.PromoteAsync("churn", "3"));
        });
        var (second, third) = await changes.WaitAsync(TimeSpan.FromSeconds(30));
        var took = clock.Elapsed;

        // One publish timed out; the others queued behind it without waiting.
        Assert.True(took < PublishTimeout * 8, $"registering a model, three versions and two promotions took {took.TotalSeconds:0.0} s with a silent broker (publish timeout {PublishTimeout.TotalSeconds} s)");
        Assert.True(redelivery.Waiting > 0, "the unconfirmed events wait for another attempt");
        Assert.Contains(app.Errors.Entries, e => e.Contains("the event is published again until the broker takes it", StringComparison.Ordinal));
        Assert.DoesNotContain(app.Events.Promoted, e => e.Model == "churn");

        _broker.Proxy.Resume();
        await Eventually.HoldsAsync(
            () => Task.FromResult(redelivery.Waiting == 0 && app.Events.Promoted.Count(e => e.Model == "churn") >= 2),
            "the broker answers again and the waiting events are published",
            () => $"{redelivery.Waiting} waiting; received: {string.Join(", ", app.Events.Promoted.Select(e => $"{e.Model} {e.Version} {e.PromotionId}"))}; log:\n{app.Errors}",
            TimeSpan.FromSeconds(60));

        // In commit order, each once: they had not been sent before the broker answered again (only the first,
        // timed-out event, ModelRegistered, may arrive twice, with one message id).
        await Task.Delay(TimeSpan.FromSeconds(1));
        var churn = app.Events.Promoted.Where(e => e.Model == "churn").ToList();
        Assert.Equal([second, third], churn.Select(e => e.PromotionId));
        Assert.Equal(["2", "3"], churn.Select(e => e.Version));
    }

    [Fact]
    public async Task A_registry_stopped_while_the_broker_is_silent_names_every_event_it_could_not_publish()
    {
        var registry = _registry!.Driver;
        var app = _registry.App;
        await registry.SeedModelAsync("warm", versions: 1);
        await Eventually.HoldsAsync(() => Task.FromResult(app.Services.GetRequiredService<LifecycleRedelivery>().Waiting == 0), "the warm-up events are published");

        _broker!.Proxy.Stall();
        await registry.SeedModelAsync("unheard", versions: 1).WaitAsync(TimeSpan.FromSeconds(30));
        await _registry.DisposeAsync();
        _registry = null;

        var lost = Assert.Single(app.Errors.Entries, e => e.Contains("they are lost", StringComparison.Ordinal));
        Assert.Contains("ModelRegistered of unheard", lost, StringComparison.Ordinal);
        Assert.Contains("ModelVersionRegistered of unheard", lost, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_approval_whose_caller_leaves_while_the_broker_is_silent_still_announces_the_promotion()
    {
        var registry = _registry!.Driver;
        var app = _registry.App;
        await registry.SeedModelAsync("left", versions: 2);
        string id = RegistryDriver.Id(await registry.RequestPromotionAsync(Callers.Carl, "left", "2"));
        var redelivery = app.Services.GetRequiredService<LifecycleRedelivery>();
        await Eventually.HoldsAsync(() => Task.FromResult(redelivery.Waiting == 0), "the events so far are published");

        _broker!.Proxy.Stall();
        // The caller gives up while the approval waits for the broker's confirm of its first event.
        using var leave = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => app.Client(Callers.Ann).PostAsJsonAsync(
            new Uri($"/api/promotions/{id}/approve", UriKind.Relative), new { comment = "approved, then gone" }, leave.Token));
        _broker.Proxy.Resume();

        await Eventually.HoldsAsync(
            () => Task.FromResult(app.Events.Promoted.Any(e => e.PromotionId == id)),
            "the promotion is announced although its request was aborted",
            () => $"{redelivery.Waiting} waiting; log:\n{app.Errors}",
            TimeSpan.FromSeconds(60));
        Assert.Equal("2", await registry.ChampionAsync("left"));
    }
}
