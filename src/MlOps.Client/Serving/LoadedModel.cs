using System.Collections.Concurrent;
using Microsoft.ML;

namespace MlOps.Client.Serving;

/// <summary>
/// One loaded version and its prediction engines. <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe, so each
/// prediction rents an engine of its own and returns it; a hot swap replaces the whole holder, and engines rented from a
/// retired holder finish their prediction and are left to the garbage collector.
/// </summary>
internal sealed class LoadedModel<TInput, TOutput>
    where TInput : class
    where TOutput : class, new()
{
    private readonly MLContext _ml;
    private readonly ITransformer _transformer;
    private readonly DataViewSchema _inputSchema;
    private readonly ConcurrentBag<PredictionEngine<TInput, TOutput>> _idle = [];
    private readonly int _maxIdle;
    private int _idleCount;

    /// <summary>Loads the zip and makes a first engine, which checks that <typeparamref name="TInput"/>/<typeparamref name="TOutput"/> fit the model.</summary>
    public LoadedModel(string version, string sha256, byte[] zip, int maxIdle)
    {
        Version = version;
        Sha256 = sha256;
        _maxIdle = maxIdle;
        _ml = new MLContext(seed: 0);
        using var stream = new MemoryStream(zip, writable: false);
        _transformer = _ml.Model.Load(stream, out _inputSchema);
        Return(Create());
    }

    public string Version { get; }

    public string Sha256 { get; }

    public PredictionEngine<TInput, TOutput> Rent()
    {
        if (_idle.TryTake(out var engine))
        {
            Interlocked.Decrement(ref _idleCount);
            return engine;
        }

        return Create();
    }

    public void Return(PredictionEngine<TInput, TOutput> engine)
    {
        if (Interlocked.Increment(ref _idleCount) <= _maxIdle)
        {
            _idle.Add(engine);
            return;
        }

        Interlocked.Decrement(ref _idleCount);
        engine.Dispose();
    }

    private PredictionEngine<TInput, TOutput> Create() => _ml.Model.CreatePredictionEngine<TInput, TOutput>(_transformer, _inputSchema);
}
