using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Confluent.Kafka;
using MlOps.Client.Logging;
using MlOps.Contracts;
using MlOps.Kafka;

namespace MlOps.Client.Tests;

/// <summary>The buffer, the broker going away and coming back, delivery failures and the flush on dispose. Brokers are always brought back up.</summary>
[Collection(ClientPlatformCollection.Name)]
public sealed class LoggerDeliveryTests(ClientPlatformFixture platform)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_full_buffer_drops_new_events_counts_them_and_never_blocks_the_caller()
    {
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics, withRegistry: false);
        options.BufferCapacity = 50;
        long meteredDrops = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == MlOpsLogger.MeterName && instrument.Name == "mlops.client.events.dropped")
                l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref meteredDrops, value));
        listener.Start();

        platform.SetAllBrokers(up: false);
        try
        {
            await using var logger = new MlOpsLogger(options);
            var results = new List<LogResult>();
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 500; i++)
                results.Add(logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1", predictionId: $"e{i}"));
            clock.Stop();

            // 500 calls against a dead cluster: none waited for it (a generous bound: each call is microseconds).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"500 calls took {clock.Elapsed}");
            Assert.Equal(50, results.Count(r => r.Status == LogStatus.Accepted));
            Assert.All(results.Skip(50), r => Assert.Equal(LogResult.BufferFull, r.Reason));
            Assert.Equal(450, logger.Dropped);
            Assert.Equal(50, logger.Buffered);
            Assert.Equal(450, Interlocked.Read(ref meteredDrops));

            platform.SetAllBrokers(up: true);
            await Eventually.HoldsAsync(() => Task.FromResult(logger.Delivered == 50), "the 50 buffered events were delivered", () => $"delivered {logger.Delivered}", Generous);
            Assert.True(logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = 1 }, "1").IsAccepted, "room again once delivered");
        }
        finally
        {
            platform.SetAllBrokers(up: true);
        }
    }

    [Fact]
    public async Task Events_logged_while_every_broker_is_down_are_delivered_exactly_once_when_they_come_back()
    {
        var topics = platform.NewTopics();
        await using var logger = new MlOpsLogger(platform.LoggerOptions(topics, withRegistry: false));
        var failures = new ConcurrentQueue<EventNotSentEventArgs>();
        logger.EventNotSent += (_, e) => failures.Enqueue(e);
        for (int i = 0; i < 20; i++)
            logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1", predictionId: $"before-{i}");
        await Eventually.HoldsAsync(() => logger.Delivered == 20, "the first events were delivered (the producer has its id)", Generous);

        platform.SetAllBrokers(up: false);
        try
        {
            for (int i = 0; i < 300; i++)
                Assert.True(logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1", predictionId: $"during-{i}").IsAccepted);
            Assert.Equal(300, logger.Buffered);
        }
        finally
        {
            platform.SetAllBrokers(up: true);
        }

        // Back up, the first produce requests also fail with retriable errors: retried, not duplicated.
        platform.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas, ErrorCode.NotEnoughReplicas, ErrorCode.RequestTimedOut);
        for (int i = 0; i < 30; i++)
            Assert.True(logger.LogOutcome("churn", $"during-{i}", "1").IsAccepted);
        await Eventually.HoldsAsync(() => Task.FromResult(logger.Delivered == 350), "every buffered event was delivered", () => $"delivered {logger.Delivered}, buffered {logger.Buffered}, failed {logger.Failed}", Generous);
        platform.Cluster.ClearRequestErrors(KafkaApiKey.Produce);

        using var reader = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        var records = await reader.ReadAsync(320);
        Assert.Equal(320, records.Count);
        Assert.Equal(320, records.Select(r => r.Key).Distinct().Count());
        Assert.Equal(0, logger.Failed);
        Assert.Empty(failures);
    }

    [Fact]
    public async Task A_delivery_that_fails_after_all_retries_is_counted_and_raised_not_lost_silently()
    {
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics, withRegistry: false);
        options.DeliveryTimeout = TimeSpan.FromSeconds(2);
        var failures = new ConcurrentQueue<EventNotSentEventArgs>();
        platform.SetAllBrokers(up: false);
        try
        {
            await using var logger = new MlOpsLogger(options);
            logger.EventNotSent += (_, e) => failures.Enqueue(e);
            for (int i = 0; i < 5; i++)
                Assert.True(logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1", predictionId: $"lost-{i}").IsAccepted);
            await Eventually.HoldsAsync(() => Task.FromResult(logger.Failed == 5), "the five events were counted as failed", () => $"failed {logger.Failed}", Generous);
            Assert.Equal(0, logger.Buffered);
            Assert.Equal(5, failures.Count);
            Assert.All(failures, f => Assert.Equal(MlOpsLogger.DeliveryFailedReason, f.Reason));
            Assert.All(failures, f => Assert.False(f.Rejected));
            Assert.Equal(Enumerable.Range(0, 5).Select(i => $"lost-{i}").Order(), failures.Select(f => f.PredictionId).Order());
        }
        finally
        {
            platform.SetAllBrokers(up: true);
        }
    }

    [Fact]
    public async Task Dispose_flushes_the_buffer()
    {
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics, withRegistry: false);
        options.Linger = TimeSpan.FromSeconds(5); // nothing is sent before the flush
        var logger = new MlOpsLogger(options);
        for (int i = 0; i < 500; i++)
            logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1", predictionId: $"flush-{i}");
        await logger.DisposeAsync();

        Assert.Equal(500, logger.Delivered);
        Assert.Equal(0, logger.Failed);
        Assert.Throws<ObjectDisposedException>(() => logger.LogPrediction("churn", "1", new Dictionary<string, Scalar>(), "1"));
        using var reader = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        Assert.Equal(500, (await reader.ReadAsync(500)).Count);
    }

    [Fact]
    public async Task Events_still_buffered_when_the_flush_timeout_runs_out_are_counted_as_not_flushed()
    {
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics, withRegistry: false);
        options.FlushTimeout = TimeSpan.FromSeconds(1);
        platform.SetAllBrokers(up: false);
        try
        {
            var logger = new MlOpsLogger(options);
            for (int i = 0; i < 10; i++)
                logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1");
            await logger.DisposeAsync();
            Assert.Equal(10, logger.Failed);
            Assert.Equal(0, logger.Buffered);
        }
        finally
        {
            platform.SetAllBrokers(up: true);
        }
    }
}
