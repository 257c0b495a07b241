using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// A TCP proxy in front of PostgreSQL that can lose one commit's answer: once <see cref="Arm"/>ed, the first
/// transaction on any connection whose statements contain the marker has its <c>COMMIT</c> passed to the server,
/// the server's answer read and dropped, and both sides of that connection closed. The server has committed; the
/// client sees a broken connection and cannot tell — what a database restart or a network cut at that moment does.
/// Npgsql sends statements as text in Parse/Query messages, so the marker and <c>COMMIT</c> are plain bytes here.
/// </summary>
internal sealed class CommitAckCutter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private string? _marker;
    private int _fired;

    public CommitAckCutter(int serverPort)
    {
        _server = new IPEndPoint(IPAddress.Loopback, serverPort);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Completes when a commit's answer was dropped.</summary>
    public TaskCompletionSource Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cuts the commit of the next transaction that sends <paramref name="marker"/> (once).</summary>
    public void Arm(string marker) => Volatile.Write(ref _marker, marker);

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = Task.Run(() => PipeAsync(client));
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                await server.ConnectAsync(_server, _stop.Token);
                var cut = new Connection(client.GetStream(), server.GetStream());
                var up = UpAsync(cut);
                var down = DownAsync(cut);
                await Task.WhenAny(up, down);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A side closed: so does the other (the usings).
            }
        }
    }

    // Client to server: watches for the marker, then for the COMMIT of that transaction.
    private async Task UpAsync(Connection c)
    {
        var buffer = new byte[64 * 1024];
        bool marked = false;
        while (true)
        {
            int n = await c.Client.ReadAsync(buffer, _stop.Token);
            if (n == 0)
                return;
            string text = Encoding.Latin1.GetString(buffer, 0, n);
            if (Volatile.Read(ref _fired) == 0 && Volatile.Read(ref _marker) is { } marker && text.Contains(marker, StringComparison.Ordinal))
                marked = true;
            bool commit = text.Contains("COMMIT", StringComparison.Ordinal);
            if (marked && commit && Interlocked.Exchange(ref _fired, 1) == 0)
            {
                // From here the server's answers are dropped; wait until the server has answered the COMMIT.
                c.Swallowing = true;
                await c.Server.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
                await c.CommitAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10), _stop.Token);
                Fired.TrySetResult();
                return;
            }

            if (commit)
                marked = false;
            await c.Server.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    private async Task DownAsync(Connection c)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await c.Server.ReadAsync(buffer, _stop.Token);
            if (n == 0)
                return;
            if (c.Swallowing)
            {
                // ReadyForQuery ('Z') ends the COMMIT's answer.
                if (buffer.AsSpan(0, n).Contains((byte)'Z'))
                    c.CommitAnswered.TrySetResult();
                continue;
            }

            await c.Client.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }

    private sealed class Connection(NetworkStream client, NetworkStream server)
    {
        public NetworkStream Client { get; } = client;

        public NetworkStream Server { get; } = server;

        private int _swallowing;

        public bool Swallowing
        {
            get => Volatile.Read(ref _swallowing) == 1;
            set => Volatile.Write(ref _swallowing, value ? 1 : 0);
        }

        public TaskCompletionSource CommitAnswered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
