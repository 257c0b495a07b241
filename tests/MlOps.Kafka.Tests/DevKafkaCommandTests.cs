using Confluent.Kafka;
using MlOps.Cli;
using MlOps.Contracts;

namespace MlOps.Kafka.Tests;

/// <summary><c>mlops dev-kafka</c>, run in-process as the CLI runs it.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class DevKafkaCommandTests
{
    [Fact]
    public async Task Dev_kafka_serves_the_MlOps_topics_to_real_clients_until_cancelled_then_exits_0()
    {
        using var output = new LineWriter();
        using var error = new LineWriter();
        using var stop = new CancellationTokenSource();
        var run = MlOpsCommand.RunAsync(["dev-kafka", "--brokers", "1", "--partitions", "2"], output, error, showProgress: false, stop.Token);

        await Eventually.HoldsAsync(() => run.IsCompleted || output.Lines.Any(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal)), "the bootstrap line");
        Assert.False(run.IsCompleted, $"dev-kafka ended early: {error.Text}");
        string bootstrap = output.Lines.First(l => l.StartsWith("bootstrap: ", StringComparison.Ordinal))["bootstrap: ".Length..];
        Assert.Matches(@"^127\.0\.0\.1:\d+$", bootstrap);
        Assert.Contains($"topic: {Topics.Predictions} (2 partitions)", output.Lines);
        Assert.Contains($"topic: {Topics.Outcomes} (2 partitions)", output.Lines);

        using (var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrap }).Build())
        {
            var topics = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics.ToDictionary(t => t.Topic, t => t.Partitions.Count);
            Assert.Equal(2, topics[Topics.Predictions]);
            Assert.Equal(2, topics[Topics.Outcomes]);
            Assert.Equal(2, topics[Topics.DeadLetter]);
            Assert.Equal(1, topics[Topics.ModelLifecycle]);
        }

        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = bootstrap }).Build())
        {
            var delivered = await producer.ProduceAsync(Topics.Predictions, new Message<string, string> { Key = "p-1", Value = "{}" });
            Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
        }

        using (var consumer = KafkaConsumers.CreateTuned<string, string>(bootstrap, "dev-kafka-test"))
        {
            consumer.Subscribe(Topics.Predictions);
            var record = Assert.Single(Poll.Consume(consumer, 1));
            Assert.Equal("p-1", record.Message.Key);
            consumer.Close();
        }

        stop.Cancel();
        Assert.Equal(0, await run.WaitAsync(Poll.Timeout));
    }

    [Theory]
    [InlineData("--brokers", "0")]
    [InlineData("--partitions", "0")]
    public async Task Dev_kafka_refuses_a_count_below_one(string option, string value)
    {
        using var output = new LineWriter();
        using var error = new LineWriter();
        int code = await MlOpsCommand.RunAsync(["dev-kafka", option, value], output, error, showProgress: false);
        Assert.Equal(2, code);
        Assert.Contains(option, error.Text, StringComparison.Ordinal);
    }
}
