using BenchmarkDotNet.Attributes;
using MlOps.Statistics.Sorting;

namespace MlOps.Benchmarks;

/// <summary>
/// Sorting one column of 1 M values, as <c>mlops drift</c> does twice per column: <see cref="RadixSort"/> against the
/// framework's introsort. The values are N(0, 1) draws with 6 significant digits, as in a CSV file (so with ties).
/// Every invocation copies the unsorted values first; <see cref="Copy"/> measures that copy alone.
/// </summary>
[MemoryDiagnoser]
public class SortBenchmarks
{
    private const int Values = 1_000_000;

    private double[] _values = [];
    private double[] _work = [];
    private ReadOnlyMemory<double>[] _chunks = [];

    [GlobalSetup]
    public void Setup()
    {
        _values = SyntheticData.Normal(Values, mean: 0, std: 1, seed: 21).Select(v => double.Parse(v.ToString("G6", System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _work = new double[Values];
        // The CSV reader's chunks: 64 Ki values each, as DoubleBuffer grows to.
        _chunks = Enumerable.Range(0, (Values + 65_535) / 65_536).Select(k => (ReadOnlyMemory<double>)_values.AsMemory(k * 65_536, Math.Min(65_536, Values - (k * 65_536)))).ToArray();
    }

    /// <summary>The copy every other benchmark starts with.</summary>
    [Benchmark]
    public double[] Copy()
    {
        _values.CopyTo(_work, 0);
        return _work;
    }

    /// <summary>The framework's comparison sort (introsort).</summary>
    [Benchmark(Baseline = true)]
    public double[] SpanSort()
    {
        _values.CopyTo(_work, 0);
        _work.AsSpan().Sort();
        return _work;
    }

    /// <summary>The radix sort, in place.</summary>
    [Benchmark]
    public double[] Radix()
    {
        _values.CopyTo(_work, 0);
        RadixSort.Sort(_work);
        return _work;
    }

    /// <summary>The radix sort from the reader's chunks into one array (no copy first: its first pass reads them).</summary>
    [Benchmark]
    public double[] RadixFromChunks()
    {
        RadixSort.Sort(_chunks, _work);
        return _work;
    }
}
