using MlOps.Statistics.Profiles;
using MlOps.Statistics.Serialization;

namespace MlOps.Statistics.Tests.Profiles;

public class NumericProfileTests
{
    [Theory]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(25)]
    [InlineData(26)]
    public void Merge_is_associative_commutative_and_equals_profiling_the_concatenation(int seed)
    {
        var reference = NumericProfile.Build(Data.Normal(seed, 3_000, 5, 2));
        var values = Data.Normal(seed + 100, 9_000, 5.5, 2.5);
        var random = new Random(seed);
        var parts = new[] { reference.CreateEmpty(), reference.CreateEmpty(), reference.CreateEmpty() };
        var whole = reference.CreateEmpty();
        whole.Add(values);
        int start = 0;
        while (start < values.Length)
        {
            int length = Math.Min(values.Length - start, random.Next(1, 700));
            parts[random.Next(3)].Add(values.AsSpan(start, length));
            start += length;
        }

        var (a, b, c) = (parts[0], parts[1], parts[2]);
        var left = (NumericProfile)a.Clone();
        left.Merge(b);
        left.Merge(c);
        var bc = (NumericProfile)b.Clone();
        bc.Merge(c);
        var right = (NumericProfile)a.Clone();
        right.Merge(bc);
        var swapped = (NumericProfile)c.Clone();
        swapped.Merge(b);
        swapped.Merge(a);

        foreach (var merged in new[] { left, right, swapped })
            AssertSame(whole, merged);
    }

    [Fact]
    public void Moments_equal_numpy_population_statistics()
    {
        var c = ReferenceData.Case("wasserstein.json", "cases", 5);
        var values = c.Doubles("reference");
        var profile = NumericProfile.Build(values);
        Precision.Close(c.Double("reference_std_population"), profile.StandardDeviation, "std (ddof 0)");
        Precision.Close(values.Average(), profile.Mean, "mean");
        Assert.Equal(values.Min(), profile.Min);
        Assert.Equal(values.Max(), profile.Max);
    }

    [Fact]
    public void Reference_binning_follows_evidently()
    {
        var many = NumericProfile.Build(Data.Normal(1, 1000));
        Assert.False(many.Binning!.ByValue);
        // Sturges on 1000 values: ceil(log2(1000) + 1) = 11 bins, 12 edges; plus underflow and overflow slots.
        Assert.Equal(12, many.Binning.Points.Count);
        Assert.Equal(13, many.BinCounts.Length);
        Assert.Equal(1000, many.BinCounts.ToArray().Sum());
        Assert.Equal(0, many.BinCounts[0]);
        Assert.Equal(0, many.BinCounts[^1]);

        var few = NumericProfile.Build([1, 2, 2, 3, 3, 3, 20, 20]);
        Assert.True(few.Binning!.ByValue);
        Assert.Equal([1, 2, 3, 20], few.Binning.Points);
        Assert.Equal([1, 2, 3, 2, 0], few.BinCounts.ToArray());
    }

    [Fact]
    public void Non_finite_values_count_as_missing()
    {
        var profile = new NumericProfile();
        profile.Add([1, double.NaN, 2, double.PositiveInfinity, double.NegativeInfinity]);
        profile.Add(double.NaN);
        Assert.Equal(2, profile.Count);
        Assert.Equal(4, profile.Missing);
        Assert.Equal(1.5, profile.Mean);
    }

    [Fact]
    public void Size_is_bounded_by_bins_and_buckets_not_rows()
    {
        var reference = NumericProfile.Build(Data.Normal(3, 5_000));
        var tenThousand = reference.CreateEmpty();
        var million = reference.CreateEmpty();
        for (int i = 0; i < 100; i++)
        {
            var chunk = Data.Normal(100 + i, 10_000);
            million.Add(chunk);
            if (i == 0)
                tenThousand.Add(chunk);
        }

        Assert.Equal(1_000_000, million.Count);
        Assert.Equal(reference.BinCounts.Length, million.BinCounts.Length);
        // The sketch has at most MaxBuckets counters per sign; a normal sample only fills, slowly
        // (about one decade of magnitudes near zero per tenfold rows), towards that cap.
        var (negative, _, positive) = million.Sketch.ToBuckets();
        Assert.True(negative.Count <= QuantileSketch.DefaultMaxBuckets && positive.Count <= QuantileSketch.DefaultMaxBuckets);
        int small = ProfileSerializer.Serialize(tenThousand).Length;
        int large = ProfileSerializer.Serialize(million).Length;
        int cap = 2 * QuantileSketch.DefaultMaxBuckets * 24 + 4096; // "[index,count]," per bucket plus the fixed fields
        Assert.True(large <= cap, $"{large} bytes for 1 M rows exceeds the structural cap {cap}");
        Assert.True(large < 2.5 * small, $"{large} bytes for 1 M rows vs {small} for 10 k rows");
    }

    [Fact]
    public void Serialization_round_trips_losslessly()
    {
        var reference = NumericProfile.Build(Data.Mixed(9, 4_000), missing: 17);
        var dataset = new DatasetProfile();
        dataset.AddFeature("x", reference);
        dataset.AddRows(4_017);
        var restored = ProfileSerializer.DeserializeDataset(ProfileSerializer.Serialize(dataset));
        Assert.Equal(4_017, restored.Rows);
        AssertSame(reference, (NumericProfile)restored.Features["x"], exactMoments: true);
        Assert.Equal(ProfileSerializer.Serialize(dataset), ProfileSerializer.Serialize(restored));
    }

    [Fact]
    public void Bad_documents_give_a_format_error()
    {
        Assert.Throws<FormatException>(() => ProfileSerializer.DeserializeDataset("not json"u8));
        Assert.Throws<FormatException>(() => ProfileSerializer.DeserializeDataset("""{"version":99,"rows":0,"features":{}}"""u8));
        Assert.Throws<FormatException>(() => ProfileSerializer.DeserializeDataset("""{"version":1,"rows":0,"features":{"x":{"kind":"numeric","missing":0}}}"""u8));
    }

    [Fact]
    public void Profiles_with_different_bins_do_not_merge()
    {
        var a = NumericProfile.Build(Data.Normal(1, 100));
        var b = NumericProfile.Build(Data.Normal(2, 100));
        Assert.Throws<ArgumentException>(() => a.Merge(b));
    }

    internal static void AssertSame(NumericProfile expected, NumericProfile actual, bool exactMoments = false)
    {
        Assert.Equal(expected.Count, actual.Count);
        Assert.Equal(expected.Missing, actual.Missing);
        Assert.Equal(expected.Min, actual.Min);
        Assert.Equal(expected.Max, actual.Max);
        Assert.Equal(expected.BinCounts.ToArray(), actual.BinCounts.ToArray());
        Assert.Equal(expected.Sketch.Buckets(), actual.Sketch.Buckets());
        Assert.Equal(expected.DistinctCount, actual.DistinctCount);
        if (exactMoments)
        {
            Assert.Equal(expected.Mean, actual.Mean);
            Assert.Equal(expected.Variance, actual.Variance);
            Assert.Equal(expected.MeanAbsolute, actual.MeanAbsolute);
        }
        else
        {
            // Floating-point sums depend on grouping; the moments agree to rounding.
            Assert.Equal(expected.Mean, actual.Mean, 1e-12);
            Assert.Equal(expected.Variance, actual.Variance, 1e-9 * expected.Variance);
            Assert.Equal(expected.MeanAbsolute, actual.MeanAbsolute, 1e-12 * expected.MeanAbsolute);
        }
    }
}
