using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

/// <summary>Errors injected into the dev cluster's Produce responses: the reliable producer retries through them.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class RequestErrorTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task An_injected_produce_error_fails_a_producer_that_does_not_retry()
    {
        string topic = KafkaClusterFixture.UniqueTopic("errors");
        fixture.Cluster.CreateTopic(topic, 1);
        using var producer = NonRetrying();
        try
        {
            // Connect first, so the injected error meets the Produce request and not start-up.
            await producer.ProduceAsync(topic, new Message<Null, string> { Value = "warm-up" });

            fixture.Cluster.PushRequestErrors(KafkaApiKey.Produce, ErrorCode.NotEnoughReplicas);
            var failure = await Assert.ThrowsAsync<ProduceException<Null, string>>(() => producer.ProduceAsync(topic, new Message<Null, string> { Value = "x" }));
            Assert.Equal(ErrorCode.NotEnoughReplicas, failure.Error.Code);
        }
        finally
        {
            fixture.Cluster.ClearRequestErrors(KafkaApiKey.Produce);
        }
    }

    [Fact]
    public async Task The_reliable_producer_retries_injected_produce_errors_and_delivers_every_message_once()
    {
        const int count = 500;
        string topic = KafkaClusterFixture.UniqueTopic("errors");
        fixture.Cluster.CreateTopic(topic, 2);
        using var producer = KafkaProducers.CreateReliable<string, string>(fixture.BootstrapServers, customize: b => b.SetLogHandler((_, _) => { }));
        try
        {
            await producer.ProduceAsync(topic, new Message<string, string> { Key = "warm-up", Value = "warm-up" });

            fixture.Cluster.PushRequestErrors(
                KafkaApiKey.Produce,
                ErrorCode.NotEnoughReplicas,
                ErrorCode.NotLeaderForPartition,
                ErrorCode.RequestTimedOut,
                ErrorCode.Local_Transport,
                ErrorCode.NotEnoughReplicas);
            var deliveries = Enumerable.Range(0, count)
                .Select(i => producer.ProduceAsync(topic, new Message<string, string> { Key = $"k{i}", Value = $"v{i}" }))
                .ToList();
            var results = await Task.WhenAll(deliveries);
            Assert.All(results, r => Assert.Equal(PersistenceStatus.Persisted, r.Status));

            // The reliable producer's requests used up every injected error: a producer that does not retry now succeeds.
            using var probe = NonRetrying();
            await probe.ProduceAsync(topic, new Message<Null, string> { Value = "probe" });
        }
        finally
        {
            fixture.Cluster.ClearRequestErrors(KafkaApiKey.Produce);
        }

        using var consumer = Poll.AssignAll<string, string>(fixture.BootstrapServers, topic, 2);
        var records = Poll.Consume(consumer, count + 2).Where(r => r.Message.Key is not null && r.Message.Key.StartsWith('k')).ToList();
        Assert.Equal(count, records.Count);
        Assert.Equal(count, records.Select(r => r.Message.Value).Distinct().Count());
    }

    private IProducer<Null, string> NonRetrying() =>
        new ProducerBuilder<Null, string>(new ProducerConfig
        {
            BootstrapServers = fixture.BootstrapServers,
            EnableIdempotence = false,
            MessageSendMaxRetries = 0,
        }).SetLogHandler((_, _) => { }).Build();
}
