using Microsoft.Extensions.Options;
using MlOps.Client.Platform;
using MlOps.Client.Registry;
using MlOps.Hosting;

namespace MlOps.Training.Service;

/// <summary>The trainer's clients of the registry and the monitor (this process when no URL is set).</summary>
public sealed class TrainingGateway(IOptions<TrainingOptions> options, IServiceProvider services) : IDisposable
{
    private readonly Lock _lock = new();
    private HttpClient? _registryHttp;
    private HttpClient? _monitoringHttp;
    private RegistryClient? _registry;
    private MonitoringClient? _monitoring;

    /// <summary>The registry.</summary>
    public RegistryClient Registry
    {
        get
        {
            lock (_lock)
            {
                if (_registry is null)
                {
                    var o = options.Value;
                    _registryHttp = RegistryClient.CreateHttpClient(PlatformAddress.Resolve(o.RegistryUrl, $"{TrainingOptions.Section}:RegistryUrl", services), o.RegistryApiKey);
                    _registryHttp.Timeout = o.RequestTimeout;
                    _registry = new RegistryClient(_registryHttp);
                }

                return _registry;
            }
        }
    }

    /// <summary>The monitor.</summary>
    public MonitoringClient Monitoring
    {
        get
        {
            lock (_lock)
            {
                if (_monitoring is null)
                {
                    var o = options.Value;
                    _monitoringHttp = RegistryClient.CreateHttpClient(PlatformAddress.Resolve(o.MonitoringUrl, $"{TrainingOptions.Section}:MonitoringUrl", services), o.MonitoringApiKey);
                    _monitoringHttp.Timeout = o.RequestTimeout;
                    _monitoring = new MonitoringClient(_monitoringHttp);
                }

                return _monitoring;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_lock)
        {
            _registryHttp?.Dispose();
            _monitoringHttp?.Dispose();
        }
    }
}
