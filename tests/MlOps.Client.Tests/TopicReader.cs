using System.Text;
using Confluent.Kafka;
using MlOps.Kafka;

namespace MlOps.Client.Tests;

/// <summary>Reads every record of a topic from the beginning, all partitions, with a plain consumer (no group offsets).</summary>
public sealed class TopicReader : IDisposable
{
    private readonly IConsumer<string, byte[]> _consumer;
    private readonly List<Record> _records = [];

    public TopicReader(string bootstrapServers, string topic, int partitions)
    {
        KafkaNativeLibrary.EnsureLoaded();
        _consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = bootstrapServers,
            GroupId = $"test-reader-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
        }).Build();
        _consumer.Assign(Enumerable.Range(0, partitions).Select(p => new TopicPartitionOffset(topic, p, Offset.Beginning)));
    }

    public sealed record Record(string Key, string Json, int Partition);

    public IReadOnlyList<Record> Records => _records;

    /// <summary>Reads until at least <paramref name="count"/> records arrived (then a little longer, to catch duplicates).</summary>
    public async Task<IReadOnlyList<Record>> ReadAsync(int count, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(() => Task.FromResult(Poll() >= count), $"{count} records were read", () => $"{_records.Count} records", timeout ?? TimeSpan.FromSeconds(90));
        // Anything produced twice would have arrived with the rest: drain what is there.
        var drain = DateTime.UtcNow.AddSeconds(1);
        while (DateTime.UtcNow < drain)
            Poll();
        return _records;
    }

    public void Dispose()
    {
        _consumer.Close();
        _consumer.Dispose();
    }

    private int Poll()
    {
        while (_consumer.Consume(TimeSpan.FromMilliseconds(50)) is { } result)
            _records.Add(new Record(result.Message.Key, Encoding.UTF8.GetString(result.Message.Value), result.Partition.Value));
        return _records.Count;
    }
}
