using MlOps.Statistics.Binning;
using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Binning;

public class EvidentlyBinningTests
{
    public static TheoryData<int> Cases => ReferenceData.Indices("numpy_histogram.json", "cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sturges_edges_equal_numpy_histogram_bin_edges(int index)
    {
        var c = ReferenceData.Case("numpy_histogram.json", "cases", index);
        var all = c.Doubles("reference").Concat(c.Doubles("current")).ToArray();
        var edges = HistogramEdges.Sturges(all.Min(), all.Max(), all.Length);
        var expected = c.Doubles("edges");
        Assert.Equal(expected.Length, edges.Length);
        for (int i = 0; i < edges.Length; i++)
            Assert.Equal(expected[i], edges[i]);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Counts_equal_numpy_histogram(int index)
    {
        var c = ReferenceData.Case("numpy_histogram.json", "cases", index);
        var (r, cur) = SampleDrift.EvidentlyBins(ReferenceData.Sorted(c.Doubles("reference")), ReferenceData.Sorted(c.Doubles("current")));
        Assert.Equal(c.Longs("reference_counts"), r);
        Assert.Equal(c.Longs("current_counts"), cur);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Numeric_psi_and_jensen_shannon_equal_evidently_on_numpy_bins(int index)
    {
        var c = ReferenceData.Case("numpy_histogram.json", "cases", index);
        var (r, cur) = (ReferenceData.Sorted(c.Doubles("reference")), ReferenceData.Sorted(c.Doubles("current")));
        Precision.Close(c.Double("psi"), SampleDrift.Numeric("x", r, cur, DriftMethod.Psi).Result.Statistic, "PSI");
        Precision.Close(c.Double("jensenshannon"), SampleDrift.Numeric("x", r, cur, DriftMethod.JensenShannon).Result.Statistic, "JS");
    }

    [Fact]
    public void Uniform_bin_index_agrees_with_searching_the_edges()
    {
        var edges = HistogramEdges.Linspace(-3.7, 12.1, 17);
        var random = new Random(7);
        for (int i = 0; i < 100_000; i++)
        {
            double v = i < 17 ? edges[i] : -4 + random.NextDouble() * 17;
            Assert.Equal(HistogramEdges.BinIndex(v, edges), HistogramEdges.UniformBinIndex(v, edges));
        }
    }

    [Fact]
    public void A_value_on_the_last_edge_falls_in_the_last_bin()
    {
        double[] edges = [0, 1, 2, 3];
        Assert.Equal(2, HistogramEdges.BinIndex(3, edges));
        Assert.Equal(1, HistogramEdges.BinIndex(1, edges));
        Assert.Equal(-1, HistogramEdges.BinIndex(3.0000001, edges));
    }

    [Fact]
    public void Degenerate_range_widens_by_half_as_numpy_does()
    {
        // numpy.histogram_bin_edges([5, 5, 5], bins="sturges") == [4.5, 5.5]
        Assert.Equal([4.5, 5.5], HistogramEdges.Sturges(5, 5, 3));
    }
}
