using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MlOps.Contracts;

namespace MlOps.Kafka;

/// <summary>
/// Writes rejected records to the dead-letter topic: the original key and value bytes untouched, the original
/// headers, and <c>mlops-*</c> headers saying why and where from (see <see cref="Topics"/>).
/// </summary>
public sealed class DeadLetterPublisher
{
    /// <summary>Header carrying a human-readable explanation, UTF-8, at most <see cref="MaxDetailBytes"/> bytes.</summary>
    public const string ErrorDetailHeader = "mlops-error-detail";

    /// <summary>The longest <see cref="ErrorDetailHeader"/> value, in UTF-8 bytes.</summary>
    public const int MaxDetailBytes = 1024;

    private static readonly string[] OwnHeaders =
        [Topics.ErrorHeader, Topics.SourceTopicHeader, Topics.SourcePartitionHeader, Topics.SourceOffsetHeader, ErrorDetailHeader];

    private readonly IProducer<byte[], byte[]> producer;

    /// <summary>Publishes through <paramref name="producer"/> (one from <c>KafkaProducers.CreateReliable</c> suits) to <paramref name="topic"/>.</summary>
    public DeadLetterPublisher(IProducer<byte[], byte[]> producer, string topic = Topics.DeadLetter)
    {
        ArgumentNullException.ThrowIfNull(producer);
        ArgumentException.ThrowIfNullOrWhiteSpace(topic);
        this.producer = producer;
        Topic = topic;
    }

    /// <summary>The dead-letter topic written to.</summary>
    public string Topic { get; }

    /// <summary>Publishes and waits for the broker's acknowledgement.</summary>
    public Task<DeliveryResult<byte[], byte[]>> PublishAsync(
        ConsumeResult<byte[], byte[]> rejected, string reason, string? detail = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        return producer.ProduceAsync(Topic, CreateMessage(rejected.TopicPartitionOffset, rejected.Message, reason, detail), cancellationToken);
    }

    /// <summary>Publishes without waiting, for the consume loop; <paramref name="onDelivered"/> runs on the producer's poll thread.</summary>
    public void Publish(
        ConsumeResult<byte[], byte[]> rejected, string reason, string? detail = null, Action<DeliveryReport<byte[], byte[]>>? onDelivered = null)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        producer.Produce(Topic, CreateMessage(rejected.TopicPartitionOffset, rejected.Message, reason, detail), onDelivered);
    }

    /// <summary>
    /// The dead-letter record for <paramref name="original"/>, read at <paramref name="source"/>: same key, value and
    /// headers (less any earlier <c>mlops-*</c> ones), plus the reason code, the source position and the detail.
    /// </summary>
    public static Message<byte[], byte[]> CreateMessage(TopicPartitionOffset source, Message<byte[], byte[]> original, string reason, string? detail)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(original);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);

        var headers = new Headers();
        if (original.Headers is not null)
        {
            // A record replayed from the DLQ and rejected again carries only its latest verdict.
            foreach (var header in original.Headers)
            {
                if (Array.IndexOf(OwnHeaders, header.Key) < 0)
                    headers.Add(header.Key, header.GetValueBytes());
            }
        }

        headers.Add(Topics.ErrorHeader, Encoding.UTF8.GetBytes(reason));
        headers.Add(Topics.SourceTopicHeader, Encoding.UTF8.GetBytes(source.Topic));
        headers.Add(Topics.SourcePartitionHeader, Encoding.UTF8.GetBytes(source.Partition.Value.ToString(CultureInfo.InvariantCulture)));
        headers.Add(Topics.SourceOffsetHeader, Encoding.UTF8.GetBytes(source.Offset.Value.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(detail))
            headers.Add(ErrorDetailHeader, Truncate(detail));

        return new Message<byte[], byte[]> { Key = original.Key, Value = original.Value, Headers = headers };
    }

    /// <summary>UTF-8 of <paramref name="text"/>, cut at a character boundary to fit <see cref="MaxDetailBytes"/>, ending in "…" when cut.</summary>
    internal static byte[] Truncate(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        if (bytes.Length <= MaxDetailBytes)
            return bytes;

        ReadOnlySpan<byte> ellipsis = "…"u8;
        int length = MaxDetailBytes - ellipsis.Length;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80)
            length--;
        var cut = new byte[length + ellipsis.Length];
        bytes.AsSpan(0, length).CopyTo(cut);
        ellipsis.CopyTo(cut.AsSpan(length));
        return cut;
    }
}
