using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MlOps.Testing;

/// <summary>A real HTTP listener on a free loopback port that records what it receives and can play down.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _failuresLeft;

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>Every request, in arrival order, including the ones answered with an error.</summary>
    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>The requests answered 200.</summary>
    public IReadOnlyList<Received> Accepted => [.. Requests.Where(r => r.Accepted)];

    public string Url { get; private set; } = "";

    /// <summary>The next <paramref name="count"/> requests get 503.</summary>
    public void FailNext(int count) => Volatile.Write(ref _failuresLeft, count);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var reader = new StreamReader(request.Body);
            string body = await reader.ReadToEndAsync();
            bool fail = Interlocked.Decrement(ref receiver._failuresLeft) >= 0;
            receiver.Requests.Enqueue(new Received(body, request.Headers["X-MlOps-Signature"].ToString(), request.Headers["X-MlOps-Event"].ToString(), request.Headers["X-MlOps-Delivery"].ToString(), !fail));
            return fail ? Results.StatusCode(503) : Results.Ok();
        });
        await app.StartAsync();
        receiver.Url = app.Urls.First() + "/hook";
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    public sealed record Received(string Body, string Signature, string Event, string DeliveryId, bool Accepted);
}
