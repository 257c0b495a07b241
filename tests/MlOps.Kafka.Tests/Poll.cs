using System.Diagnostics;
using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

/// <summary>Waiting for an effect by polling a condition, never by sleeping a fixed time.</summary>
internal static class Poll
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);


    /// <summary>Reads until <paramref name="expected"/> records arrived, then a little longer to catch any extra (duplicate) ones.</summary>
    public static List<ConsumeResult<TKey, TValue>> Consume<TKey, TValue>(IConsumer<TKey, TValue> consumer, int expected, TimeSpan? timeout = null)
    {
        var limit = timeout ?? Timeout;
        var records = new List<ConsumeResult<TKey, TValue>>(expected);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(100));
            if (record is null)
            {
                // An idle poll after the expected count: anything more (a duplicate) would have been fetched by now.
                if (records.Count >= expected)
                    break;
                continue;
            }

            if (!record.IsPartitionEOF)
                records.Add(record);
        }

        return records;
    }

    /// <summary>A consumer reading every partition of <paramref name="topic"/> from the beginning, without a group rebalance.</summary>
    public static IConsumer<TKey, TValue> AssignAll<TKey, TValue>(string bootstrapServers, string topic, int partitions)
    {
        var consumer = new ConsumerBuilder<TKey, TValue>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            AutoOffsetReset = AutoOffsetReset.Earliest,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
        return consumer;
    }
}
