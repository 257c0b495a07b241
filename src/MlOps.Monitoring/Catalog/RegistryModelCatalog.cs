using System.Collections.Frozen;
using System.Net;
using Microsoft.Extensions.Logging;
using MlOps.Client;
using MlOps.Contracts.Registry;
using MlOps.Statistics.Serialization;

namespace MlOps.Monitoring.Catalog;

/// <summary>
/// The models the monitor knows, read from the registry's HTTP API: every model's schema, monitoring settings and
/// champion, and each version's reference profile and training metrics. The cache is swapped whole, so readers on the hot path
/// never lock; reference profiles are immutable per version and fetched once. Refreshed on a timer and on the
/// lifecycle events of the bus (<see cref="CatalogInvalidationConsumer"/>).
/// </summary>
public sealed partial class RegistryModelCatalog(RegistryConnection registry, TimeProvider time, ILogger<RegistryModelCatalog> logger) : IModelCatalog
{
    /// <summary>Alias that the monitor compares windows against.</summary>
    public const string Champion = "champion";

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How soon an unknown model name may be looked up in the registry again.</summary>
    public static readonly TimeSpan MissRetryInterval = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (long StartedAt, Task Lookup)> _lookups = new(StringComparer.Ordinal);

    private readonly SemaphoreSlim _refresh = new(1, 1);
    private readonly Dictionary<(string Model, string Version), VersionReference> _references = [];
    private FrozenDictionary<string, ModelContext> _models = FrozenDictionary<string, ModelContext>.Empty;

    /// <summary>When the whole catalog was last read (null: never), and the last refresh's failure, if it failed.</summary>
    public (DateTimeOffset? LoadedAt, string? LastError) Status { get; private set; }

    public ModelContext? Find(string model) => _models.GetValueOrDefault(model);

    public IReadOnlyCollection<ModelContext> All => _models.Values;

    public ModelContext? FindOrLoad(string model)
    {
        if (_models.GetValueOrDefault(model) is { } known)
            return known;
        LookUp(model, model);
        return _models.GetValueOrDefault(model);
    }

    public ModelContext FindOrLoad(ModelContext model, string version)
    {
        if (model.Versions.ContainsKey(version))
            return model;
        LookUp($"{model.Name}\n{version}", model.Name);
        return _models.GetValueOrDefault(model.Name) ?? model;
    }

    // Reads the registry for a name the cache does not know, on the caller's thread on purpose: the record waits for
    // the answer instead of going to the DLQ. One lookup per key at a time: a caller that finds one in flight (another
    // partition's thread meeting the same new model) waits for it and reads its answer. A key is looked up again at
    // most every MissRetryInterval, as names in rejected records are attacker-controlled.
    private void LookUp(string key, string model)
    {
        Task lookup;
        bool started = false;
        long now = time.GetTimestamp();
        lock (_lookups)
        {
            if (!_lookups.TryGetValue(key, out var last) || (last.Lookup.IsCompleted && time.GetElapsedTime(last.StartedAt, now) >= MissRetryInterval))
            {
                // Bounded: only finished lookups are dropped, so a caller waiting for one still gets its answer.
                if (_lookups.Count >= 10_000)
                {
                    foreach (var done in _lookups.Where(l => l.Value.Lookup.IsCompleted).Select(l => l.Key).ToList())
                        _lookups.Remove(done);
                }

                last = (now, Task.Run(() => RefreshAsync(model, CancellationToken.None)));
                _lookups[key] = last;
                started = true;
            }

            lookup = last.Lookup;
        }

        try
        {
            if (!lookup.Wait(RequestTimeout) && started)
                LogLookupFailed(model, $"the registry did not answer within {RequestTimeout.TotalSeconds:0} s");
        }
        catch (AggregateException e)
        {
            // Whatever went wrong, the record is then rejected as unknown_model (with the reason in the DLQ), never
            // lost. Logged once, by the caller that started the lookup.
            if (started)
                LogLookupFailed(model, e.InnerException?.Message ?? e.Message);
        }
    }

    public async Task RefreshAsync(string model, CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            ModelContext? context;
            try
            {
                context = await WithDeadline(ct => LoadAsync(model, null, ct), cancellationToken);
            }
            catch (MlOpsApiException e) when (e.Status == HttpStatusCode.NotFound)
            {
                context = null;
            }

            var copy = new Dictionary<string, ModelContext>(_models, StringComparer.Ordinal);
            if (context is null)
                copy.Remove(model);
            else
                copy[model] = context;
            _models = copy.ToFrozenDictionary(StringComparer.Ordinal);
        }
        finally
        {
            _refresh.Release();
        }
    }

    public async Task RefreshAllAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var all = new Dictionary<string, ModelContext>(StringComparer.Ordinal);
            await WithDeadline(async ct =>
            {
                foreach (var model in await registry.Client.ListModelsAsync(ct))
                {
                    try
                    {
                        all[model.Name] = await LoadAsync(model.Name, model, ct);
                    }
                    catch (MlOpsApiException e) when (e.Status == HttpStatusCode.NotFound)
                    {
                        // Deleted between the list and the read: it is not a model any more.
                    }
                }

                return true;
            }, cancellationToken);
            _models = all.ToFrozenDictionary(StringComparer.Ordinal);
            // Profiles of models that are gone are not needed any more.
            foreach (var key in _references.Keys.Where(k => all.GetValueOrDefault(k.Model)?.Versions.ContainsKey(k.Version) != true).ToList())
                _references.Remove(key);
            Status = (time.GetUtcNow(), null);
        }
        catch (Exception e) when (e is HttpRequestException or MlOpsApiException or InvalidOperationException or TimeoutException)
        {
            // The caller logs it with what it means there (the consumer waits; the closer keeps the cached models).
            Status = (Status.LoadedAt, e.Message);
            throw;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private async Task<ModelContext> LoadAsync(string name, ModelResponse? model, CancellationToken cancellationToken)
    {
        model ??= await registry.Client.GetModelAsync(name, cancellationToken);
        model.Aliases.TryGetValue(Champion, out string? champion);
        var versions = new Dictionary<string, VersionReference>(StringComparer.Ordinal);
        foreach (var version in await registry.Client.ListVersionsAsync(name, cancellationToken))
        {
            // Versions are immutable: each reference profile is fetched once.
            if (!_references.TryGetValue((name, version.Version), out var reference))
            {
                byte[]? json = version.HasReferenceProfile ? await registry.Client.GetReferenceProfileAsync(name, version.Version, cancellationToken) : null;
                reference = new VersionReference(json is null ? null : ProfileSerializer.DeserializeDataset(json), version.Metrics);
                _references[(name, version.Version)] = reference;
            }

            versions[version.Version] = reference;
        }

        return new ModelContext(model.Schema, model.Monitoring, champion, versions);
    }

    private static async Task<T> WithDeadline<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        try
        {
            return await call(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The registry did not answer within {RequestTimeout.TotalSeconds:0} s.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking up model {Model} in the registry failed: {Reason}; its records are rejected as unknown_model until it answers")]
    private partial void LogLookupFailed(string model, string reason);
}
