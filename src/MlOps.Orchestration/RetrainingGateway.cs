using Microsoft.Extensions.Options;
using MlOps.Client;
using MlOps.Client.Platform;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Hosting;

namespace MlOps.Orchestration;

/// <summary>What the saga reads from and asks of the other services (registry, monitor), over their HTTP APIs.</summary>
public interface IRetrainingGateway
{
    /// <summary>The model's policies and champion, or null when the model does not exist.</summary>
    Task<ModelPolicies?> GetModelAsync(string model, CancellationToken cancellationToken);

    /// <summary>Labelled examples of the model in [from, to).</summary>
    Task<long> CountLabelledAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>Requests the promotion as the saga's principal; an existing pending request for the same version is returned instead.</summary>
    Task<PromotionResponse> RequestPromotionAsync(string model, string version, PromotionEvidence evidence, string notes, CancellationToken cancellationToken);

    /// <summary>A promotion request.</summary>
    Task<PromotionResponse> GetPromotionAsync(string id, CancellationToken cancellationToken);

    /// <summary>Cancels a pending promotion request (the saga requested it).</summary>
    Task CancelPromotionAsync(string id, string comment, CancellationToken cancellationToken);
}

/// <summary>A model's retraining and promotion policies and its champion.</summary>
/// <param name="Retraining">The retraining policy.</param>
/// <param name="PromotionExpiryHours">The promotion policy's expiry.</param>
/// <param name="ChampionVersion">The champion, if any.</param>
public sealed record ModelPolicies(RetrainingPolicy Retraining, double PromotionExpiryHours, string? ChampionVersion);

/// <summary><see cref="IRetrainingGateway"/> over <see cref="RegistryClient"/> and <see cref="MonitoringClient"/>.</summary>
internal sealed class HttpRetrainingGateway(IOptions<OrchestrationOptions> options, IServiceProvider services) : IRetrainingGateway, IDisposable
{
    private readonly Lock _lock = new();
    private HttpClient? _registryHttp;
    private HttpClient? _monitoringHttp;
    private RegistryClient? _registry;
    private MonitoringClient? _monitoring;

    public async Task<ModelPolicies?> GetModelAsync(string model, CancellationToken cancellationToken)
    {
        try
        {
            var m = await Registry.GetModelAsync(model, cancellationToken);
            return new ModelPolicies(m.Retraining, m.Policy.ExpiryHours, m.Aliases.GetValueOrDefault("champion"));
        }
        catch (MlOpsApiException e) when (e.Status == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<long> CountLabelledAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        (await Monitoring.CountExamplesAsync(model, from, to, cancellationToken)).Rows;

    public async Task<PromotionResponse> RequestPromotionAsync(string model, string version, PromotionEvidence evidence, string notes, CancellationToken cancellationToken)
    {
        try
        {
            return await Registry.RequestPromotionAsync(new PromotionRequestBody { Model = model, Version = version, Evidence = evidence, Notes = notes }, cancellationToken);
        }
        catch (MlOpsApiException e) when (e.Status == System.Net.HttpStatusCode.Conflict)
        {
            // A retried step (or a redelivered message) asked before: adopt that request if it is for this version.
            var pending = await Registry.ListPromotionsAsync(model, "pending", cancellationToken);
            var same = pending.FirstOrDefault(p => p.Version == version);
            if (same is null)
                throw;
            return same;
        }
    }

    public Task<PromotionResponse> GetPromotionAsync(string id, CancellationToken cancellationToken) => Registry.GetPromotionAsync(id, cancellationToken);

    public Task CancelPromotionAsync(string id, string comment, CancellationToken cancellationToken) => Registry.CancelPromotionAsync(id, comment, cancellationToken);

    public void Dispose()
    {
        lock (_lock)
        {
            _registryHttp?.Dispose();
            _monitoringHttp?.Dispose();
        }
    }

    private RegistryClient Registry
    {
        get
        {
            lock (_lock)
            {
                if (_registry is null)
                {
                    var o = options.Value;
                    _registryHttp = RegistryClient.CreateHttpClient(PlatformAddress.Resolve(o.RegistryUrl, $"{OrchestrationOptions.Section}:RegistryUrl", services), o.RegistryApiKey);
                    _registry = new RegistryClient(_registryHttp);
                }

                return _registry;
            }
        }
    }

    private MonitoringClient Monitoring
    {
        get
        {
            lock (_lock)
            {
                if (_monitoring is null)
                {
                    var o = options.Value;
                    _monitoringHttp = RegistryClient.CreateHttpClient(PlatformAddress.Resolve(o.MonitoringUrl, $"{OrchestrationOptions.Section}:MonitoringUrl", services), o.MonitoringApiKey);
                    _monitoring = new MonitoringClient(_monitoringHttp);
                }

                return _monitoring;
            }
        }
    }
}
