namespace MlOps.Registry.Tests.Hosting;

/// <summary>
/// No registry endpoint may answer 5xx: the guard fails the test at once and shows what the server logged, which the
/// production-style problem body deliberately hides.
/// </summary>
internal sealed class ServerErrorGuard(CapturedErrors errors, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            string body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new Xunit.Sdk.XunitException($"{request.Method} {request.RequestUri} answered {(int)response.StatusCode}: {body}{Environment.NewLine}Server log:{Environment.NewLine}{errors}");
        }

        return response;
    }
}
