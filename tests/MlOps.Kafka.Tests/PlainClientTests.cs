using System.Globalization;
using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

/// <summary>Plain Confluent.Kafka clients, no MlOps code, against the dev cluster: it speaks real Kafka.</summary>
[Collection(DevClusterCollection.Name)]
public sealed class PlainClientTests(KafkaClusterFixture fixture)
{
    private const int Count = 10_000;
    private const int Partitions = 6;

    [Fact]
    public async Task Ten_thousand_keyed_messages_come_back_on_their_partitions_and_a_key_gets_the_same_partition_number_in_both_topics()
    {
        string predictions = KafkaClusterFixture.UniqueTopic("predictions");
        string outcomes = KafkaClusterFixture.UniqueTopic("outcomes");
        fixture.Cluster.CreateTopic(predictions, Partitions);
        fixture.Cluster.CreateTopic(outcomes, Partitions);

        var predictionPartition = new Dictionary<string, int>(Count);
        var outcomePartition = new Dictionary<string, int>(Count);
        using (var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            var deliveries = new List<Task<DeliveryResult<string, string>>>(2 * Count);
            for (int i = 0; i < Count; i++)
            {
                string id = PredictionId(i);
                deliveries.Add(producer.ProduceAsync(predictions, new Message<string, string> { Key = id, Value = $"prediction {id}" }));
                deliveries.Add(producer.ProduceAsync(outcomes, new Message<string, string> { Key = id, Value = $"outcome {id}" }));
            }

            foreach (var delivered in await Task.WhenAll(deliveries))
            {
                Assert.Equal(PersistenceStatus.Persisted, delivered.Status);
                var partitions = delivered.Topic == predictions ? predictionPartition : outcomePartition;
                partitions.Add(delivered.Message.Key, delivered.Partition.Value);
            }
        }

        using var predictionReader = Poll.AssignAll<string, string>(fixture.BootstrapServers, predictions, Partitions);
        var readPredictions = Poll.Consume(predictionReader, Count);
        using var outcomeReader = Poll.AssignAll<string, string>(fixture.BootstrapServers, outcomes, Partitions);
        var readOutcomes = Poll.Consume(outcomeReader, Count);

        Assert.Equal(Count, readPredictions.Count);
        Assert.Equal(Count, readOutcomes.Count);
        Assert.Equal(Count, readPredictions.Select(r => r.Message.Key).Distinct().Count());
        foreach (var record in readPredictions)
        {
            Assert.Equal($"prediction {record.Message.Key}", record.Message.Value);
            Assert.Equal(predictionPartition[record.Message.Key], record.Partition.Value);
        }

        var outcomeReadPartition = readOutcomes.ToDictionary(r => r.Message.Key, r => r.Partition.Value);
        foreach (var record in readPredictions)
            Assert.Equal(record.Partition.Value, outcomeReadPartition[record.Message.Key]);

        // Co-location is only meaningful if the keys really spread over the partitions.
        Assert.Equal(Partitions, readPredictions.Select(r => r.Partition.Value).Distinct().Count());
        Assert.All(readPredictions.GroupBy(r => r.Partition.Value), g => Assert.InRange(g.Count(), Count / Partitions / 2, Count / Partitions * 2));
    }

    private static string PredictionId(int i) => "p-" + i.ToString("D6", CultureInfo.InvariantCulture);
}
