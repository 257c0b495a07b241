using System.Net.Sockets;

namespace MlOps.Testing;

/// <summary>
/// A proxy that can <see cref="Stall"/>: the server's bytes stop reaching the clients while every connection stays
/// open and the clients' bytes still reach the server. What a client then sees is a peer that took its request and
/// never answers — a RabbitMQ publish whose confirm never comes, as after a lost packet or a broker restart
/// mid-publish — with no error to react to.
/// </summary>
public sealed class StallingProxy(int serverPort) : LoopbackProxy(serverPort)
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _flowing = Open();

    /// <summary>From now on the server's bytes are held (not read), until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        lock (_lock)
        {
            if (_flowing.Task.IsCompleted)
                _flowing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>The server's bytes flow again, the held ones first.</summary>
    public void Resume()
    {
        lock (_lock)
            _flowing.TrySetResult();
    }

    private Task Flowing
    {
        get
        {
            lock (_lock)
                return _flowing.Task;
        }
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }

    protected override Task PipeAsync(NetworkStream client, NetworkStream server) =>
        Task.WhenAny(CopyAsync(client, server, held: false), CopyAsync(server, client, held: true));

    private async Task CopyAsync(Stream from, Stream to, bool held)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            if (held)
                await Flowing.WaitAsync(Stopping);
            int n = await from.ReadAsync(buffer, Stopping);
            if (n == 0)
                return;
            if (held)
                await Flowing.WaitAsync(Stopping);
            await to.WriteAsync(buffer.AsMemory(0, n), Stopping);
        }
    }
}
