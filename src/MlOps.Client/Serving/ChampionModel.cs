using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MlOps.Client.Logging;
using MlOps.Client.Registry;
using MlOps.Contracts;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;

namespace MlOps.Client.Serving;

/// <summary>
/// Serves a registered model's champion: loads the ML.NET zip the <c>champion</c> alias points to, verifies it against the
/// SHA-256 the registry recorded, follows promotions and rollbacks on <c>mlops.model-lifecycle</c> to swap versions
/// without a restart, and logs every prediction (with the version that served it) through an <see cref="MlOpsLogger"/>.
/// </summary>
/// <typeparam name="TInput">
/// ML.NET input class: one public property or field per schema feature, named as the feature (or
/// <c>[ColumnName("…")]</c>); numeric and boolean features are <see cref="float"/> (as the trainer saves them), categorical
/// ones <see cref="string"/>.
/// </typeparam>
/// <typeparam name="TOutput">
/// ML.NET output class: binary models <c>PredictedLabel</c> (bool) and <c>Probability</c> (float); multiclass
/// <c>PredictedLabel</c> (string); regression <c>Score</c> (float).
/// </typeparam>
/// <remarks>
/// <para><b>Hot swap.</b> The loaded version is one immutable holder (the model and a pool of prediction engines, since
/// <c>PredictionEngine</c> is not thread-safe) that a swap replaces with one atomic write. A prediction reads the holder
/// once, rents an engine from it and returns it, so predictions in flight during a swap finish on the version they
/// started on and report it; none fails. A new version is fully loaded and checked (hash, input and output classes)
/// before it replaces the old one.</para>
/// <para><b>Integrity.</b> A download whose SHA-256 differs from the version's recorded hash is refused with a
/// <see cref="ModelIntegrityException"/> (raised through <see cref="LoadFailed"/> and logged when it came from a lifecycle
/// event); the version in use keeps serving.</para>
/// <para><b>Lifecycle.</b> With <see cref="ChampionModelOptions.BootstrapServers"/> set, <see cref="StartAsync"/> first
/// positions a consumer at the end of the lifecycle topic, then loads the champion, so a promotion between the two is not
/// missed; no consumer group offsets are used. Each <c>ModelPromoted</c>/<c>ModelRolledBack</c> of this model loads the
/// version it names.</para>
/// </remarks>
public sealed partial class ChampionModel<TInput, TOutput> : IAsyncDisposable, IDisposable
    where TInput : class
    where TOutput : class, new()
{
    /// <summary>The alias served.</summary>
    public const string ChampionAlias = "champion";

    private readonly ChampionModelOptions _options;
    private readonly string _model;
    private readonly HttpClient _http;
    private readonly RegistryClient _registry;
    private readonly MlOpsLogger? _logger;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private LifecycleFollower? _follower;
    private ModelSchema? _schema;
    private OutputReader<TOutput>? _output;
    private volatile LoadedModel<TInput, TOutput>? _current;
    private int _disposed;

    /// <summary>Creates the loader; nothing is loaded until <see cref="StartAsync"/>.</summary>
    /// <param name="options">Settings (an invalid one is an <see cref="ArgumentException"/> naming its key).</param>
    /// <param name="logger">Logs each prediction when <see cref="ChampionModelOptions.LogPredictions"/>; none: predictions are not logged.</param>
    /// <param name="log">Where loads, swaps and refusals are logged.</param>
    public ChampionModel(ChampionModelOptions options, MlOpsLogger? logger = null, ILogger<ChampionModel<TInput, TOutput>>? log = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = ChampionModelOptionsValidator.Check(options);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems), nameof(options));
        _options = options;
        _model = options.Model!;
        _logger = options.LogPredictions ? logger : null;
        _log = (ILogger?)log ?? NullLogger.Instance;
        _http = RegistryClient.CreateHttpClient(new Uri(options.RegistryUrl!), options.ApiKey);
        _http.Timeout = options.RegistryTimeout;
        _registry = new RegistryClient(_http);
    }

    /// <summary>Raised after a new version replaced the one serving (on the thread that loaded it).</summary>
    public event EventHandler<ModelSwappedEventArgs>? Swapped;

    /// <summary>Raised when a version was refused or could not be loaded; the one serving is kept.</summary>
    public event EventHandler<ModelLoadFailedEventArgs>? LoadFailed;

    /// <summary>The model name.</summary>
    public string Model => _model;

    /// <summary>The version serving predictions now; null before the first load.</summary>
    public string? Version => _current?.Version;

    /// <summary>The SHA-256 of the artifact serving now.</summary>
    public string? Sha256 => _current?.Sha256;

    /// <summary>True once a version is loaded.</summary>
    public bool IsLoaded => _current is not null;

    /// <summary>
    /// Starts following the lifecycle topic (when configured) and loads the champion.
    /// </summary>
    /// <exception cref="ModelLoadException">The champion could not be loaded (see <see cref="ReloadAsync"/>); the lifecycle
    /// consumer keeps running, so a later promotion still loads.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_options.BootstrapServers is { Length: > 0 } bootstrap && _follower is null)
        {
            _follower = new LifecycleFollower(bootstrap, _options.LifecycleTopic, _model, OnChampionEvent, _log);
            try
            {
                await _follower.StartAsync().WaitAsync(TimeSpan.FromSeconds(30), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                LogLifecycleSlow(_options.LifecycleTopic);
            }
        }

        await ReloadAsync(null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Loads <paramref name="version"/> (default: the version the <c>champion</c> alias points to now) and swaps it in, unless
    /// it is already serving. The artifact is downloaded, its SHA-256 compared with the version's recorded hash, loaded, and
    /// checked against <typeparamref name="TInput"/>/<typeparamref name="TOutput"/> before the swap.
    /// </summary>
    /// <returns>True when a new version was swapped in.</returns>
    /// <exception cref="ModelIntegrityException">The artifact's hash does not match; the version serving is kept.</exception>
    /// <exception cref="ModelLoadException">The registry could not be read, the model has no champion, or the artifact is not a fitting ML.NET model; the version serving is kept.</exception>
    public async Task<bool> ReloadAsync(string? version = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        await _loading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            try
            {
                return await LoadAsync(version, cancellationToken).ConfigureAwait(false);
            }
            catch (ModelLoadException ex)
            {
                LogRefused(ex.Version, ex.Message);
                LoadFailed?.Invoke(this, new ModelLoadFailedEventArgs(_model, ex.Version, ex));
                throw;
            }
        }
        finally
        {
            _loading.Release();
        }
    }

    /// <summary>
    /// Predicts with the version serving now and logs the prediction (features, label, score, latency, that version).
    /// Thread-safe; never blocks on a load or on Kafka.
    /// </summary>
    /// <param name="input">The model inputs.</param>
    /// <param name="predictionId">Id to log the prediction under (generated when null).</param>
    /// <param name="tags">Free-form labels logged with the prediction.</param>
    /// <exception cref="InvalidOperationException">No version is loaded yet.</exception>
    public ServedPrediction<TOutput> Predict(TInput input, string? predictionId = null, IReadOnlyDictionary<string, string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var holder = _current ?? throw new InvalidOperationException($"no version of model '{_model}' is loaded yet (call StartAsync, or wait for the champion to load)");
        long started = Stopwatch.GetTimestamp();
        var engine = holder.Rent();
        TOutput output;
        try
        {
            output = engine.Predict(input);
        }
        finally
        {
            holder.Return(engine);
        }

        double latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var (prediction, score) = _output!.Read(output);
        predictionId ??= Guid.CreateVersion7().ToString("N");
        LogResult? logged = null;
        if (_logger is not null)
        {
            var features = Coerce(FeatureExtractor.Extract(input), _schema!);
            logged = _logger.LogPrediction(_model, holder.Version, features, prediction, score, predictionId, latency, tags);
        }

        return new ServedPrediction<TOutput>(output, holder.Version, predictionId, prediction, score, latency, logged);
    }

    /// <summary>Stops following the lifecycle topic. The logger (not owned) is left running.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _follower?.Dispose();
        _http.Dispose();
        _loading.Dispose();
    }

    /// <summary>As <see cref="Dispose"/>.</summary>
    public ValueTask DisposeAsync() => new(Task.Run(Dispose));

    /// <summary>
    /// The trainer saves boolean features as <see cref="float"/> columns; the schema says boolean, so 1/0 become true/false
    /// (and a boolean for a numeric feature 1/0) before logging, or the monitor would reject them as <c>wrong_type</c>.
    /// </summary>
    internal static IReadOnlyDictionary<string, Scalar> Coerce(IReadOnlyDictionary<string, Scalar> features, ModelSchema schema)
    {
        Dictionary<string, Scalar>? copy = null;
        foreach (var (name, value) in features)
        {
            if (!schema.TryGetFeature(name, out var feature))
                continue;
            Scalar? fixedValue = (feature.Type, value.Kind) switch
            {
                (FeatureType.Boolean, ScalarKind.Number) => Scalar.Of(value.Number != 0),
                (FeatureType.Numeric, ScalarKind.Boolean) => Scalar.Of(value.Boolean ? 1.0 : 0.0),
                // Not a bare null: Scalar converts implicitly from a null string, which would make every feature missing.
                _ => (Scalar?)null,
            };
            if (fixedValue is { } v)
            {
                copy ??= new Dictionary<string, Scalar>(features, StringComparer.Ordinal);
                copy[name] = v;
            }
        }

        return copy ?? features;
    }

    private async Task<bool> LoadAsync(string? version, CancellationToken cancellationToken)
    {
        string? serving = _current?.Version;
        VersionResponse info;
        byte[] zip;
        try
        {
            if (_schema is null || version is null)
            {
                var model = await _registry.GetModelAsync(_model, cancellationToken).ConfigureAwait(false);
                _schema = model.Schema;
                if (version is null && !model.Aliases.TryGetValue(ChampionAlias, out version))
                    throw new ModelLoadException(_model, "", $"model '{_model}' has no champion yet");
            }

            if (version == serving)
                return false;
            info = await _registry.GetVersionAsync(_model, version, cancellationToken).ConfigureAwait(false);
            using var buffer = new MemoryStream();
            await _registry.DownloadArtifactAsync(_model, version, buffer, cancellationToken).ConfigureAwait(false);
            zip = buffer.ToArray();
        }
        catch (Exception ex) when (ex is HttpRequestException or MlOpsApiException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw new ModelLoadException(_model, version ?? "", $"cannot read model '{_model}'{(version is null ? "" : $" version {version}")} from the registry: {ex.Message}", ex);
        }

        string actual = Convert.ToHexStringLower(SHA256.HashData(zip));
        if (!string.Equals(actual, info.Artifact.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ModelIntegrityException(_model, version, info.Artifact.Sha256, actual, serving);

        LoadedModel<TInput, TOutput> loaded;
        try
        {
            _output ??= new OutputReader<TOutput>(_schema);
            loaded = new LoadedModel<TInput, TOutput>(version, actual, zip, _options.MaxIdleEngines);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not ModelLoadException)
        {
            throw new ModelLoadException(_model, version, $"model '{_model}' version {version} cannot serve {typeof(TInput).Name} → {typeof(TOutput).Name}: {ex.Message}", ex);
        }

        _current = loaded;
        LogSwapped(version, serving ?? "none", actual);
        Swapped?.Invoke(this, new ModelSwappedEventArgs(_model, version, serving));
        return true;
    }

    private void OnChampionEvent(string version)
    {
        // On the lifecycle thread, in topic order. A transient failure is retried a few times; a refused artifact is not.
        for (int attempt = 1; attempt <= 3 && _disposed == 0; attempt++)
        {
            try
            {
                ReloadAsync(version).GetAwaiter().GetResult();
                return;
            }
            catch (ModelIntegrityException)
            {
                return;
            }
            catch (ModelLoadException) when (attempt < 3)
            {
                Thread.Sleep(TimeSpan.FromSeconds(attempt));
            }
            catch (Exception ex) when (ex is ModelLoadException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Champion model: version {Version} now serves (was {Previous}; SHA-256 {Sha256})")]
    private partial void LogSwapped(string version, string previous, string sha256);

    [LoggerMessage(Level = LogLevel.Error, Message = "Champion model: refused version {Version}: {Reason}")]
    private partial void LogRefused(string version, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Champion model: the lifecycle topic {Topic} is not assigned yet; loading the champion anyway (a promotion in between may be missed)")]
    private partial void LogLifecycleSlow(string topic);
}
