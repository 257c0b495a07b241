using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace MlOps.Cli.Registry;

/// <summary>
/// HTTP to the registry API. Every failure (refused connection, timeout, error status, a body that is not the
/// registry's JSON) becomes an <see cref="InputException"/> with a one-line message; the key never appears in one.
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;

    public RegistryClient(RegistryEndpoint endpoint)
    {
        Endpoint = endpoint;
        // Uploads may take long; ordinary requests get their own timeout in SendAsync.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(15) })
        {
            BaseAddress = endpoint.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (endpoint.ApiKey is { } key)
            _http.DefaultRequestHeaders.Add("X-Api-Key", key);
        _http.DefaultRequestHeaders.Accept.ParseAdd("application/json");
    }

    public RegistryEndpoint Endpoint { get; }

    public Task<string> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, RequestTimeout, cancellationToken);

    public Task<string> PostAsync<T>(string path, T body, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json"), RequestTimeout, cancellationToken);

    /// <summary>Posts a (possibly large) upload without a timeout: it takes as long as the file takes.</summary>
    public Task<string> UploadAsync(string path, HttpContent content, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, content, Timeout.InfiniteTimeSpan, cancellationToken);

    /// <summary>Reads a successful response body; a body of another shape means <c>--registry</c> names something else.</summary>
    public T Read<T>(string body, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new InputException($"{Endpoint.Display} did not answer with registry JSON; is --registry the model registry's URL?");
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> SendAsync(HttpMethod method, string path, HttpContent? content, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
            string body = await response.Content.ReadAsStringAsync(deadline.Token);
            if (response.IsSuccessStatusCode)
                return body;
            throw new InputException(RegistryErrors.Describe(response, body, Endpoint.ApiKey is not null));
        }
        catch (HttpRequestException e)
        {
            throw new InputException(Unreachable(e));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InputException($"the registry at {Endpoint.Display} did not answer within {timeout.TotalSeconds:0} s");
        }
    }

    private string Unreachable(HttpRequestException e)
    {
        string hint = $"start it, or point to it with --registry URL (or {RegistryOptions.UrlVariable})";
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        return (e.HttpRequestError, socket?.SocketErrorCode) switch
        {
            (_, SocketError.ConnectionRefused) => $"cannot connect to the registry at {Endpoint.Display}: connection refused; {hint}",
            (HttpRequestError.NameResolutionError, _) => $"cannot connect to the registry at {Endpoint.Display}: unknown host '{Endpoint.BaseAddress.Host}'; check --registry URL (or {RegistryOptions.UrlVariable})",
            (HttpRequestError.SecureConnectionError, _) => $"cannot connect to the registry at {Endpoint.Display}: TLS failed ({OneLine(e.InnerException?.Message ?? e.Message)}); check --registry URL",
            _ => $"cannot reach the registry at {Endpoint.Display}: {OneLine(e.Message)}; {hint}",
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
