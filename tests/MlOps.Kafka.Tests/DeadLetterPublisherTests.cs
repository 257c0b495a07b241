using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MlOps.Contracts;
using MlOps.Contracts.Validation;

namespace MlOps.Kafka.Tests;

[Collection(DevClusterCollection.Name)]
public sealed class DeadLetterPublisherTests(KafkaClusterFixture fixture)
{
    [Fact]
    public async Task A_rejected_record_reaches_the_DLQ_with_its_bytes_its_headers_and_where_it_came_from()
    {
        string source = KafkaClusterFixture.UniqueTopic("predictions");
        string dlq = KafkaClusterFixture.UniqueTopic("dlq");
        fixture.Cluster.CreateTopic(source, 3);
        fixture.Cluster.CreateTopic(dlq, 1);
        byte[] key = Encoding.UTF8.GetBytes("p-000123");
        byte[] value = [0x7B, 0xFF, 0x00, 0x22]; // not JSON, not even UTF-8: it must come back untouched
        using (var producer = new ProducerBuilder<byte[], byte[]>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build())
        {
            for (int i = 0; i < 5; i++)
                await producer.ProduceAsync(source, new Message<byte[], byte[]> { Key = Encoding.UTF8.GetBytes($"other-{i}"), Value = [1] });
            var headers = new Headers { { "traceparent", "00-abc-01"u8.ToArray() }, { Topics.ErrorHeader, "stale"u8.ToArray() } };
            await producer.ProduceAsync(source, new Message<byte[], byte[]> { Key = key, Value = value, Headers = headers });
        }

        using var sourceReader = Poll.AssignAll<byte[], byte[]>(fixture.BootstrapServers, source, 3);
        var rejected = Poll.Consume(sourceReader, 6).Single(r => r.Message.Key.AsSpan().SequenceEqual(key));
        string detail = "features.age: expected a number, got \"forty\" — " + new string('é', 2000);

        using var dlqProducer = KafkaProducers.CreateReliable<byte[], byte[]>(fixture.BootstrapServers);
        var publisher = new DeadLetterPublisher(dlqProducer, dlq);
        var delivered = await publisher.PublishAsync(rejected, RejectReason.NotJson, detail);
        Assert.Equal(PersistenceStatus.Persisted, delivered.Status);

        using var dlqReader = Poll.AssignAll<byte[], byte[]>(fixture.BootstrapServers, dlq, 1);
        var letter = Assert.Single(Poll.Consume(dlqReader, 1));
        Assert.Equal(key, letter.Message.Key);
        Assert.Equal(value, letter.Message.Value);
        var h = letter.Message.Headers;
        Assert.Equal(RejectReason.NotJson, Text(h, Topics.ErrorHeader));
        Assert.Equal(source, Text(h, Topics.SourceTopicHeader));
        Assert.Equal(rejected.Partition.Value.ToString(CultureInfo.InvariantCulture), Text(h, Topics.SourcePartitionHeader));
        Assert.Equal(rejected.Offset.Value.ToString(CultureInfo.InvariantCulture), Text(h, Topics.SourceOffsetHeader));
        Assert.Equal("00-abc-01", Text(h, "traceparent"));
        Assert.Single(h, x => x.Key == Topics.ErrorHeader);

        byte[] detailBytes = h.GetLastBytes(DeadLetterPublisher.ErrorDetailHeader);
        Assert.InRange(detailBytes.Length, DeadLetterPublisher.MaxDetailBytes - 3, DeadLetterPublisher.MaxDetailBytes);
        string shown = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(detailBytes);
        Assert.StartsWith("features.age: expected a number", shown, StringComparison.Ordinal);
        Assert.EndsWith("é…", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_detail_is_kept_whole_and_no_detail_means_no_header()
    {
        var original = new Message<byte[], byte[]> { Key = null!, Value = [1, 2] };
        var source = new TopicPartitionOffset("mlops.predictions", 4, 17);

        var withDetail = DeadLetterPublisher.CreateMessage(source, original, RejectReason.UnknownModel, "model 'churn' is not registered");
        Assert.Equal("model 'churn' is not registered", Text(withDetail.Headers, DeadLetterPublisher.ErrorDetailHeader));
        Assert.Null(withDetail.Key);
        Assert.Equal("4", Text(withDetail.Headers, Topics.SourcePartitionHeader));
        Assert.Equal("17", Text(withDetail.Headers, Topics.SourceOffsetHeader));

        var withoutDetail = DeadLetterPublisher.CreateMessage(source, original, RejectReason.UnknownModel, null);
        Assert.False(withoutDetail.Headers.TryGetLastBytes(DeadLetterPublisher.ErrorDetailHeader, out _));
    }

    [Theory]
    [InlineData(1024, 'a', 1024)]
    [InlineData(1025, 'a', 1024)]
    [InlineData(600, 'é', 1023)] // 2-byte characters: cut at 1021 would split one, so 1020 + "…"
    [InlineData(400, '€', 1023)] // 3-byte characters: 1020 + "…"
    public void Truncation_keeps_whole_characters_within_one_KiB(int length, char c, int expectedBytes)
    {
        byte[] bytes = DeadLetterPublisher.Truncate(new string(c, length));
        Assert.Equal(expectedBytes, bytes.Length);
        _ = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
    }

    private static string Text(Headers headers, string name) => Encoding.UTF8.GetString(headers.GetLastBytes(name));
}
