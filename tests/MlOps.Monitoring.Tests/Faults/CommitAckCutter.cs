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
internal sealed class CommitAckCutter(int serverPort) : LoopbackProxy(serverPort)
{
    private string? _marker;
    private int _fired;

    /// <summary>Completes when a commit's answer was dropped.</summary>
    public TaskCompletionSource Fired { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cuts the commit of the next transaction that sends <paramref name="marker"/> (once).</summary>
    public void Arm(string marker) => Volatile.Write(ref _marker, marker);

    protected override async Task PipeAsync(NetworkStream client, NetworkStream server)
    {
        var cut = new Connection(client, server);
        await Task.WhenAny(UpAsync(cut), DownAsync(cut));
    }

    // Client to server: watches for the marker, then for the COMMIT of that transaction.
    private async Task UpAsync(Connection c)
    {
        var buffer = new byte[64 * 1024];
        bool marked = false;
        while (true)
        {
            int n = await c.Client.ReadAsync(buffer, Stopping);
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
                await c.Server.WriteAsync(buffer.AsMemory(0, n), Stopping);
                await c.CommitAnswered.Task.WaitAsync(TimeSpan.FromSeconds(10), Stopping);
                Fired.TrySetResult();
                return;
            }

            if (commit)
                marked = false;
            await c.Server.WriteAsync(buffer.AsMemory(0, n), Stopping);
        }
    }

    private async Task DownAsync(Connection c)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            int n = await c.Server.ReadAsync(buffer, Stopping);
            if (n == 0)
                return;
            if (c.Swallowing)
            {
                // ReadyForQuery ('Z') ends the COMMIT's answer.
                if (buffer.AsSpan(0, n).Contains((byte)'Z'))
                    c.CommitAnswered.TrySetResult();
                continue;
            }

            await c.Client.WriteAsync(buffer.AsMemory(0, n), Stopping);
        }
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
