using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace MlOps.Testing;

/// <summary>
/// A proxy in front of RabbitMQ that can take a consumer away behind its client's back: <see cref="CutAsync"/> makes
/// the broker close the channel that consumes a queue (it sends, on that channel, an acknowledgement of a delivery tag
/// the broker never issued: a channel error) and drops everything the broker says on that channel afterwards, its
/// <c>channel.close</c> included (later frames pass again: they answer the client's own close). The broker then has no consumer on the queue; the client still believes its
/// channel open and its consumer running — the state MassTransit's receive endpoints were found in after a RabbitMQ
/// restart (ready messages, no consumer, nothing in the log). AMQP 0-9-1 frames are parsed in both directions:
/// type (1 byte), channel (2), size (4), payload, 0xCE; <c>basic.consume</c> (class 60, method 20) names the queue.
/// </summary>
public sealed class AmqpConsumerCutter(int serverPort) : LoopbackProxy(serverPort)
{
    private const byte MethodFrame = 1;
    private const byte FrameEnd = 0xCE;

    private readonly ConcurrentDictionary<string, (Connection Connection, ushort Channel)> _consumers = new(StringComparer.Ordinal);

    /// <summary>
    /// Cuts the consumer of <paramref name="queue"/>; completes once the broker closed its channel (and the client
    /// was not told).
    /// </summary>
    public async Task CutAsync(string queue, TimeSpan timeout)
    {
        if (!_consumers.TryGetValue(queue, out var consumer))
            throw new InvalidOperationException($"No client consumes '{queue}' through this proxy (consumers: {string.Join(", ", _consumers.Keys)}).");
        var closed = consumer.Connection.Cut(consumer.Channel);
        // basic.ack (60, 80) of delivery tag 2^62, not multiple: the broker answers PRECONDITION_FAILED on the channel.
        var payload = new byte[13];
        BinaryPrimitives.WriteUInt16BigEndian(payload, 60);
        BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(2), 80);
        BinaryPrimitives.WriteUInt64BigEndian(payload.AsSpan(4), 1UL << 62);
        await consumer.Connection.WriteToServerAsync(Frame(consumer.Channel, payload), Stopping);
        await closed.WaitAsync(timeout, Stopping);
    }

    /// <summary>The queues clients consume through the proxy.</summary>
    public IReadOnlyCollection<string> Queues => [.. _consumers.Keys];

    protected override async Task PipeAsync(NetworkStream client, NetworkStream server)
    {
        var connection = new Connection(server);
        await Task.WhenAny(UpAsync(client, connection), DownAsync(server, client, connection));
    }

    // Client to server, frame by frame (so a cut's frame goes in between two of the client's): learns who consumes what.
    private async Task UpAsync(NetworkStream client, Connection connection)
    {
        var header = new byte[8];
        await client.ReadExactlyAsync(header, Stopping);
        await connection.WriteToServerAsync(header, Stopping);
        var reader = new FrameReader(client);
        while (await reader.NextAsync(Stopping) is { } frame)
        {
            if (frame.Type == MethodFrame && Method(frame.Payload) == (60, 20))
            {
                int length = frame.Payload[6];
                string queue = Encoding.UTF8.GetString(frame.Payload, 7, length);
                _consumers[queue] = (connection, frame.Channel);
            }

            await connection.WriteToServerAsync(frame.Bytes, Stopping);
        }
    }

    // Server to client: drops what the broker sends on a cut channel.
    private async Task DownAsync(NetworkStream server, NetworkStream client, Connection connection)
    {
        var reader = new FrameReader(server);
        while (await reader.NextAsync(Stopping) is { } frame)
        {
            if (connection.IsCut(frame.Channel))
            {
                if (frame.Type == MethodFrame && Method(frame.Payload) == (20, 40))
                    connection.Closed(frame.Channel);
                continue;
            }

            await client.WriteAsync(frame.Bytes, Stopping);
        }
    }

    private static (int Class, int Method) Method(byte[] payload) =>
        payload.Length < 4 ? (0, 0) : (BinaryPrimitives.ReadUInt16BigEndian(payload), BinaryPrimitives.ReadUInt16BigEndian(payload.AsSpan(2)));

    private static byte[] Frame(ushort channel, byte[] payload)
    {
        var frame = new byte[8 + payload.Length];
        frame[0] = MethodFrame;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(1), channel);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(3), (uint)payload.Length);
        payload.CopyTo(frame, 7);
        frame[^1] = FrameEnd;
        return frame;
    }

    private sealed record AmqpFrame(byte Type, ushort Channel, byte[] Payload, byte[] Bytes);

    private sealed class FrameReader(Stream stream)
    {
        private readonly byte[] _head = new byte[7];

        public async Task<AmqpFrame?> NextAsync(CancellationToken cancellationToken)
        {
            try
            {
                await stream.ReadExactlyAsync(_head, cancellationToken);
            }
            catch (EndOfStreamException)
            {
                return null;
            }

            int size = checked((int)BinaryPrimitives.ReadUInt32BigEndian(_head.AsSpan(3)));
            var bytes = new byte[7 + size + 1];
            _head.CopyTo(bytes, 0);
            await stream.ReadExactlyAsync(bytes.AsMemory(7), cancellationToken);
            if (bytes[^1] != FrameEnd)
                throw new IOException("Not an AMQP 0-9-1 frame (no frame-end octet).");
            return new AmqpFrame(bytes[0], BinaryPrimitives.ReadUInt16BigEndian(bytes.AsSpan(1)), bytes[7..^1], bytes);
        }
    }

    private sealed class Connection(NetworkStream server)
    {
        private readonly SemaphoreSlim _write = new(1, 1);
        private readonly ConcurrentDictionary<ushort, TaskCompletionSource> _cut = new();

        public async Task WriteToServerAsync(byte[] bytes, CancellationToken cancellationToken)
        {
            await _write.WaitAsync(cancellationToken);
            try
            {
                await server.WriteAsync(bytes, cancellationToken);
            }
            finally
            {
                _write.Release();
            }
        }

        public Task Cut(ushort channel) => _cut.GetOrAdd(channel, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

        public bool IsCut(ushort channel) => _cut.ContainsKey(channel);

        // The broker's channel.close was dropped: what it says on the channel from now on answers the client's own
        // close (when its channel is finally stopped), so it passes again.
        public void Closed(ushort channel)
        {
            if (_cut.TryRemove(channel, out var closed))
                closed.TrySetResult();
        }
    }
}
