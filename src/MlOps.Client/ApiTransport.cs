using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using MlOps.Contracts.Registry;

namespace MlOps.Client;

/// <summary>JSON over HTTP for the typed clients: requests, problem+json errors as <see cref="MlOpsApiException"/>.</summary>
internal sealed class ApiTransport(HttpClient http)
{
    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    /// <summary>The client's base address.</summary>
    internal Uri? BaseAddress => http.BaseAddress;

    /// <summary>Sends a request and returns the response; the caller disposes it (for streamed bodies).</summary>
    internal async Task<HttpResponseMessage> SendStreamingAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        try
        {
            await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    internal Task<T> GetAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendAndDisposeAsync(new HttpRequestMessage(HttpMethod.Get, path), type, cancellationToken);

    internal Task<TResponse> PostAsync<TRequest, TResponse>(string path, TRequest body, JsonTypeInfo<TRequest> requestType, JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken) =>
        SendAndDisposeAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent(body, requestType) }, responseType, cancellationToken);

    internal async Task<T> SendAndDisposeAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using (request)
            return await SendAsync(request, type, cancellationToken).ConfigureAwait(false);
    }

    internal async Task<T> SendAsync<T>(HttpRequestMessage request, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonSerializer.Deserialize(body, type) ?? throw new JsonException("null");
        }
        catch (JsonException)
        {
            throw new MlOpsApiException(response.StatusCode, response.ReasonPhrase, null,
                $"{Display(http.BaseAddress)} did not answer with MlOps JSON; is it the MlOps URL?", unexpectedBody: true);
        }
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
            return;
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        ApiProblem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true)
        {
            try
            {
                problem = JsonSerializer.Deserialize(body, Json.ApiProblem);
            }
            catch (JsonException)
            {
                // Not a problem document: the status alone speaks.
            }
        }

        int status = (int)response.StatusCode;
        string title = problem?.Title is { Length: > 0 } t ? t : response.ReasonPhrase ?? response.StatusCode.ToString();
        string message = problem?.Detail is { Length: > 0 } d ? $"{status} {title}: {d}" : $"{status} {title}";
        throw new MlOpsApiException(response.StatusCode, response.ReasonPhrase, problem, message, body: problem is null ? body[..Math.Min(body.Length, 2000)] : null);
    }

    internal static StringContent JsonContent<T>(T body, JsonTypeInfo<T> type) =>
        new(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json");

    internal static string Display(Uri? url) =>
        url?.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/') ?? "the server";
}
