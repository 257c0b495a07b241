using BenchmarkDotNet.Attributes;
using MlOps.Statistics.Drift;

namespace MlOps.Benchmarks;

/// <summary>
/// Exact drift of whole samples (the batch path behind <c>mlops drift</c>) on one column of 1 M vs 1 M values,
/// already sorted: the merge walk over both samples, without the sort that precedes it.
/// </summary>
[MemoryDiagnoser]
public class SampleDriftBenchmarks
{
    private const int Values = 1_000_000;

    private double[] _reference = [];
    private double[] _current = [];

    [GlobalSetup]
    public void Setup()
    {
        _reference = SyntheticData.Normal(Values, mean: 0, std: 1, seed: 11);
        _current = SyntheticData.Normal(Values, mean: 0.05, std: 1, seed: 12);
        Array.Sort(_reference);
        Array.Sort(_current);
    }

    /// <summary>
    /// Two-sample Kolmogorov–Smirnov: D and SciPy's p-value. At this size the p-value is kstwo's exact series, whose
    /// cost grows with n·D² (SciPy pays it too): a drifted column costs far more than an undrifted one.
    /// </summary>
    [Benchmark]
    public FeatureDrift KolmogorovSmirnov() => SampleDrift.Numeric("x", _reference, _current, DriftMethod.KolmogorovSmirnov);

    /// <summary>The KS statistic D alone: the merge walk, to separate it from the p-value.</summary>
    [Benchmark]
    public double KolmogorovSmirnovStatistic() => KolmogorovSmirnovTest.Statistic(_reference, _current);

    /// <summary>D and the Wasserstein distance from one walk, as <c>mlops drift --method ks,wasserstein</c> computes them.</summary>
    [Benchmark]
    public (double, double) StatisticAndDistance() => KolmogorovSmirnovTest.StatisticAndDistance(_reference, _current);

    /// <summary>Wasserstein-1 distance normalised by the reference's population standard deviation.</summary>
    [Benchmark]
    public FeatureDrift Wasserstein() => SampleDrift.Numeric("x", _reference, _current, DriftMethod.Wasserstein);
}
