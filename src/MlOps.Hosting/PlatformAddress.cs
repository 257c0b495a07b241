using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MlOps.Hosting;

/// <summary>
/// Where a service reaches another service's HTTP API: the configured URL, or — when none is set — this very process,
/// which then serves that API too (<c>mlops up</c>, the test platform). The address of this process is known only once
/// it listens.
/// </summary>
public static class PlatformAddress
{
    /// <summary>The configured URL, else this process's own address.</summary>
    /// <param name="configuredUrl">The URL setting's value (empty = this process).</param>
    /// <param name="setting">The setting's key, for the message while this process is not listening yet.</param>
    /// <param name="services">This host's services.</param>
    /// <exception cref="NotListeningYetException">No URL is set and this process does not listen yet.</exception>
    public static Uri Resolve(string? configuredUrl, string setting, IServiceProvider services)
    {
        if (!string.IsNullOrWhiteSpace(configuredUrl))
            return new Uri(configuredUrl);
        // Before the host has started, the address may be configured (or still port 0) but nothing answers on it yet.
        bool started = services.GetService<IHostApplicationLifetime>() is not { } lifetime || lifetime.ApplicationStarted.IsCancellationRequested;
        string? address = started ? services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() : null;
        if (address is null || address.EndsWith(":0", StringComparison.Ordinal))
            throw new NotListeningYetException($"{setting} is not set and this process does not listen yet; the API is read from this process once it does.");
        // Kestrel reports wildcard bindings as written; the loopback reaches them all.
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
            uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}

/// <summary>The API is this process, which is still starting: expected for a moment, not worth a warning.</summary>
public sealed class NotListeningYetException(string message) : InvalidOperationException(message);
