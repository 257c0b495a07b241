using MlOps.Statistics.Profiles;

namespace MlOps.Statistics.Tests.Profiles;

public class QuantileSketchTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Quantiles_are_within_the_relative_accuracy_of_the_sample_quantile(int seed)
    {
        var values = Data.Mixed(seed, 20_000);
        var sketch = new QuantileSketch();
        foreach (double v in values)
            sketch.Add(v);
        var sorted = ReferenceData.Sorted(values);
        foreach (double q in new[] { 0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1 })
        {
            double exact = sorted[(int)(q * (sorted.Length - 1))];
            double estimate = sketch.Quantile(q);
            Assert.True(
                Math.Abs(estimate - exact) <= sketch.RelativeAccuracy * Math.Abs(exact) * (1 + 1e-12),
                $"q={q}: {estimate} vs {exact}");
        }
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    public void Merging_parts_equals_sketching_the_whole_in_any_order(int seed)
    {
        var values = Data.Mixed(seed, 5_000);
        var random = new Random(seed);
        var parts = new[] { new QuantileSketch(), new QuantileSketch(), new QuantileSketch() };
        var whole = new QuantileSketch();
        foreach (double v in values)
        {
            whole.Add(v);
            parts[random.Next(3)].Add(v);
        }

        var (a, b, c) = (parts[0], parts[1], parts[2]);
        var left = a.Clone();
        left.Merge(b);
        left.Merge(c); // (a + b) + c
        var bc = b.Clone();
        bc.Merge(c);
        var right = a.Clone();
        right.Merge(bc); // a + (b + c)
        var swapped = c.Clone();
        swapped.Merge(a);
        swapped.Merge(b); // (c + a) + b

        Assert.Equal(whole.Buckets(), left.Buckets());
        Assert.Equal(whole.Buckets(), right.Buckets());
        Assert.Equal(whole.Buckets(), swapped.Buckets());
    }

    [Fact]
    public void Memory_stays_within_the_bucket_cap_over_any_dynamic_range()
    {
        var sketch = new QuantileSketch(maxBuckets: 128);
        var random = new Random(5);
        for (int i = 0; i < 200_000; i++)
            sketch.Add((random.Next(2) == 0 ? -1 : 1) * Math.Pow(10, random.NextDouble() * 600 - 300));
        var (negative, _, positive) = sketch.ToBuckets();
        Assert.InRange(negative.Count, 1, 128);
        Assert.InRange(positive.Count, 1, 128);
        Assert.Equal(200_000, sketch.Count);
        // Folding only touches values nearest zero: the top quantiles keep their accuracy.
        Assert.True(sketch.Quantile(1) > 1e299);
    }

    [Fact]
    public void Folding_is_order_independent()
    {
        var values = Enumerable.Range(0, 4000).Select(i => Math.Pow(1.05, i - 2000)).ToArray();
        var forward = new QuantileSketch(maxBuckets: 64);
        var backward = new QuantileSketch(maxBuckets: 64);
        foreach (double v in values)
            forward.Add(v);
        foreach (double v in values.Reverse())
            backward.Add(v);
        Assert.Equal(forward.Buckets(), backward.Buckets());
    }

    [Fact]
    public void Zero_and_negative_values_keep_their_order()
    {
        var sketch = new QuantileSketch();
        foreach (double v in new[] { -10.0, -1, 0, 0, 1, 10 })
            sketch.Add(v);
        var buckets = sketch.Buckets().ToList();
        Assert.Equal(5, buckets.Count);
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First.Key < p.Second.Key && p.First.Value < p.Second.Value));
        Assert.Equal(0, sketch.Quantile(0.5));
    }
}
