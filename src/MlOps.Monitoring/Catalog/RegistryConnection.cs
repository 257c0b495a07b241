using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MlOps.Client.Registry;

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
                Uri url = string.IsNullOrWhiteSpace(o.RegistryUrl) ? OwnAddress() : new Uri(o.RegistryUrl);
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

    private Uri OwnAddress()
    {
        // Before the host has started, the address may be configured (or still port 0) but nothing answers on it yet.
        bool started = services.GetService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>() is not { } lifetime || lifetime.ApplicationStarted.IsCancellationRequested;
        string? address = started ? services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() : null;
        if (address is null || address.EndsWith(":0", StringComparison.Ordinal))
            throw new NotListeningYetException($"{MonitoringOptions.Section}:RegistryUrl is not set and this process does not listen yet; the registry is read from this process once it does.");
        // Kestrel reports wildcard bindings as written; the loopback reaches them all.
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
            uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}

/// <summary>The registry is this process, which is still starting: expected for a moment, not worth a warning.</summary>
public sealed class NotListeningYetException(string message) : InvalidOperationException(message);
