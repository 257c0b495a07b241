using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace MlOps.Testing.Security;

/// <summary>
/// HTTP/1.1 over a bare socket, for requests that <see cref="HttpClient"/> refuses to send or cannot read: header
/// values with control characters or non-ASCII bytes, paths with raw bytes, and bodies the server rejects before
/// they are sent in full (the answer is read while the body is still being written, as curl does, so an early 413
/// is seen instead of a reset connection). Every request closes its connection.
/// </summary>
public static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// A request: the request target and header values are written as the given bytes, unchecked. A streamed body is
    /// <paramref name="StreamedPrefix"/> and then 'a' up to that many bytes, with a Content-Length or, when
    /// <paramref name="Chunked"/>, in chunks without one (so the server learns the size only by reading).
    /// </summary>
    public sealed record Request(string Method, byte[] Target, IReadOnlyList<(string Name, byte[] Value)> Headers, byte[]? Body = null, long? StreamedBodyLength = null, bool Chunked = false, byte[]? StreamedPrefix = null)
    {
        public static Request Get(string target, params (string Name, string Value)[] headers) =>
            new("GET", Encoding.UTF8.GetBytes(target), [.. headers.Select(h => (h.Name, Encoding.UTF8.GetBytes(h.Value)))]);
    }

    /// <summary>An answer, its header values as the bytes received.</summary>
    public sealed record Response(int Status, IReadOnlyList<(string Name, byte[] Value)> Headers, byte[] Body)
    {
        public string? Header(string name) => Headers.Where(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => Encoding.Latin1.GetString(h.Value)).FirstOrDefault();

        public string BodyText => Encoding.UTF8.GetString(Body);

        public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();

        public override string ToString() => $"{Status} {MediaType} {BodyText[..Math.Min(BodyText.Length, 500)]}";
    }

    public static async Task<Response> SendAsync(Uri server, Request request, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var ct = timeout.Token;
        // No Nagle: a request written in pieces (head, then body) would wait for the server's delayed ACK.
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(server.Host, server.Port, ct);
        var stream = tcp.GetStream();

        var head = new MemoryStream();
        head.Write(Encoding.ASCII.GetBytes($"{request.Method} "));
        head.Write(request.Target);
        head.Write(" HTTP/1.1\r\n"u8);
        head.Write(Encoding.ASCII.GetBytes($"Host: {server.Host}:{server.Port}\r\nConnection: close\r\n"));
        foreach (var (name, value) in request.Headers)
        {
            head.Write(Encoding.ASCII.GetBytes(name + ": "));
            head.Write(value);
            head.Write("\r\n"u8);
        }

        long? length = request.StreamedBodyLength ?? request.Body?.Length;
        if (request.Chunked)
            head.Write("Transfer-Encoding: chunked\r\n"u8);
        else if (length is { } n)
            head.Write(Encoding.ASCII.GetBytes($"Content-Length: {n.ToString(CultureInfo.InvariantCulture)}\r\n"));
        head.Write("\r\n"u8);

        // Read from the start: the server may answer (and close) before the body is complete.
        var reading = ReadToEndAsync(stream, ct);
        try
        {
            await stream.WriteAsync(head.ToArray(), ct);
            if (request.Body is { } body)
                await WriteUntilAnsweredAsync(stream, body, reading, ct);
            else if (request.StreamedBodyLength is { } streamed)
                await StreamUntilAnsweredAsync(stream, request.StreamedPrefix ?? [], streamed, request.Chunked, reading, ct);
        }
        catch (IOException)
        {
            // The server closed the connection while the body was being sent: its answer is what it wrote before.
        }

        return Parse(await reading);
    }

    private static async Task WriteUntilAnsweredAsync(NetworkStream stream, byte[] body, Task reading, CancellationToken ct)
    {
        for (int offset = 0; offset < body.Length && !reading.IsCompleted; offset += 64 * 1024)
            await stream.WriteAsync(body.AsMemory(offset, Math.Min(64 * 1024, body.Length - offset)), ct);
    }

    private static async Task StreamUntilAnsweredAsync(NetworkStream stream, byte[] prefix, long length, bool chunked, Task reading, CancellationToken ct)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'a');
        for (long sent = 0; sent < length && !reading.IsCompleted;)
        {
            var piece = sent == 0 && prefix.Length > 0 ? prefix : chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent));
            if (chunked)
                await stream.WriteAsync(Encoding.ASCII.GetBytes(piece.Length.ToString("x", CultureInfo.InvariantCulture) + "\r\n"), ct);
            await stream.WriteAsync(piece, ct);
            if (chunked)
                await stream.WriteAsync("\r\n"u8.ToArray(), ct);
            sent += piece.Length;
        }

        if (chunked && !reading.IsCompleted)
            await stream.WriteAsync("0\r\n\r\n"u8.ToArray(), ct);
    }

    private static async Task<byte[]> ReadToEndAsync(NetworkStream stream, CancellationToken ct)
    {
        var all = new MemoryStream();
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, ct)) > 0)
                all.Write(buffer, 0, read);
        }
        catch (IOException) when (all.Length > 0)
        {
            // A reset after the answer (the server discarded the rest of an oversize body).
        }

        return all.ToArray();
    }

    private static Response Parse(byte[] raw)
    {
        int end = raw.AsSpan().IndexOf("\r\n\r\n"u8);
        if (end < 0)
            throw new Xunit.Sdk.XunitException($"No complete HTTP answer ({raw.Length} bytes): {Encoding.Latin1.GetString(raw)}");
        string[] lines = Encoding.Latin1.GetString(raw, 0, end).Split("\r\n");
        int status = int.Parse(lines[0].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new List<(string, byte[])>();
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers.Add((line[..colon], Encoding.Latin1.GetBytes(line[(colon + 1)..].Trim())));
        }

        byte[] body = raw[(end + 4)..];
        if (headers.Any(h => h.Item1.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && Encoding.Latin1.GetString(h.Item2).Contains("chunked", StringComparison.OrdinalIgnoreCase)))
            body = Dechunk(body);
        return new Response(status, headers, body);
    }

    private static byte[] Dechunk(byte[] chunked)
    {
        var body = new MemoryStream();
        int at = 0;
        while (at < chunked.Length)
        {
            int lineEnd = chunked.AsSpan(at).IndexOf("\r\n"u8);
            if (lineEnd < 0)
                break;
            int size = int.Parse(Encoding.ASCII.GetString(chunked, at, lineEnd).Split(';')[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            at += lineEnd + 2;
            if (size == 0)
                break;
            body.Write(chunked, at, Math.Min(size, chunked.Length - at));
            at += size + 2;
        }

        return body.ToArray();
    }
}
