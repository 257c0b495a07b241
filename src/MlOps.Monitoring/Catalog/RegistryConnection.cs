using Microsoft.Extensions.Options;
using MlOps.Client.Registry;
using MlOps.Hosting;

namespace MlOps.Monitoring.Catalog;

/// <summary>
/// The monitor's client of the registry API: <c>MlOps:Monitoring:RegistryUrl</c> with <c>RegistryApiKey</c>, or —
/// when no URL is set — this very process, which then serves the registry too (<c>mlops up</c>, tests). The
/// address of this process is known only once it listens, so the client is made on first use.
/// </summary>
public sealed class RegistryConnection(IOptions<MonitoringOptions> options, IServiceProvider services) : IDisposable
{
    private readonly Lock _lock = new();
    private HttpClient? _http;
    private RegistryClient? _client;

    /// <summary>The client; throws <see cref="NotListeningYetException"/> while this process (serving the registry) is still starting.</summary>
    public RegistryClient Client
    {
        get
        {
            lock (_lock)
            {
                if (_client is not null)
                    return _client;
                var o = options.Value;
                Uri url = PlatformAddress.Resolve(o.RegistryUrl, $"{MonitoringOptions.Section}:RegistryUrl", services);
                _http = RegistryClient.CreateHttpClient(url, o.RegistryApiKey);
                _client = new RegistryClient(_http);
                return _client;
            }
        }
    }

    public void Dispose()
    {
        lock (_lock)
            _http?.Dispose();
    }
}
