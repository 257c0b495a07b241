using BenchmarkDotNet.Attributes;
using MlOps.Statistics.Profiles;

namespace MlOps.Benchmarks;

/// <summary>
/// Profile update throughput: the per-value cost of the monitor's hot path. Every invocation adds
/// <see cref="Values"/> values to a fresh profile, and OperationsPerInvoke makes the reported time per value.
/// </summary>
[MemoryDiagnoser]
public class ProfileUpdateBenchmarks
{
    /// <summary>Values added per invocation.</summary>
    public const int Values = 1_000_000;

    private double[] _numbers = [];
    private string[] _labels = [];
    private NumericProfile _numericReference = null!;
    private CategoricalProfile _categoricalReference = null!;

    [GlobalSetup]
    public void Setup()
    {
        // The reference fixes the bins (Sturges edges over its range); the measured data is a different draw.
        _numericReference = NumericProfile.Build(SyntheticData.Normal(Values, mean: 0, std: 1, seed: 1));
        _numbers = SyntheticData.Normal(Values, mean: 0.1, std: 1.1, seed: 2);
        _categoricalReference = new CategoricalProfile();
        foreach (string label in SyntheticData.Categorical(10_000, skew: 0, seed: 3))
            _categoricalReference.Add(label.AsSpan());
        _labels = SyntheticData.Categorical(Values, skew: 0.5, seed: 4);
    }

    /// <summary>Numeric: moments, range, distinct tracking, quantile sketch and bin counts per value.</summary>
    [Benchmark(OperationsPerInvoke = Values)]
    public NumericProfile NumericAdd()
    {
        var profile = _numericReference.CreateEmpty();
        profile.Add(_numbers);
        return profile;
    }

    /// <summary>Categorical: one dictionary lookup by characters per value (no string allocation for known categories).</summary>
    [Benchmark(OperationsPerInvoke = Values)]
    public CategoricalProfile CategoricalAdd()
    {
        var profile = _categoricalReference.CreateEmpty();
        foreach (string label in _labels)
            profile.Add(label.AsSpan());
        return profile;
    }
}
