using MlOps.Statistics.Drift;
using MlOps.Statistics.Sorting;

namespace MlOps.Statistics.Tests.Sorting;

public class RadixSortTests
{
    public static TheoryData<int> Lengths => [0, 1, 2, RadixSort.MinimumLength - 1, RadixSort.MinimumLength, RadixSort.MinimumLength + 1, 5_000, 100_003];

    [Theory]
    [MemberData(nameof(Lengths))]
    public void Gives_the_order_of_array_sort_on_mixed_data(int length)
    {
        for (int seed = 0; seed < 5; seed++)
            AssertSortsLikeArraySort(Mixed(length, seed));
    }

    [Fact]
    public void Sorts_extremes_subnormals_infinities_and_signed_zeros()
    {
        double[] specials =
        [
            double.MaxValue, double.MinValue, double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, -2.2250738585072014E-308,
            2.2250738585072009E-308, -2.2250738585072009E-308, double.PositiveInfinity, double.NegativeInfinity, 0.0, -0.0,
            1.0, -1.0, 1.0000000000000002, 0.99999999999999989, 4503599627370496.0, -4503599627370496.5,
        ];
        var random = new Random(7);
        var values = new double[20_000];
        for (int i = 0; i < values.Length; i++)
            values[i] = specials[random.Next(specials.Length)];
        AssertSortsLikeArraySort(values);
    }

    [Fact]
    public void Puts_negative_zero_before_positive_zero()
    {
        var values = new double[4_000];
        for (int i = 0; i < values.Length; i++)
            values[i] = i % 2 == 0 ? 0.0 : -0.0;
        RadixSort.Sort(values);
        Assert.All(values.AsSpan(0, 2_000).ToArray(), v => Assert.True(double.IsNegative(v)));
        Assert.All(values.AsSpan(2_000).ToArray(), v => Assert.True(double.IsPositive(v)));
    }

    [Fact]
    public void Handles_values_that_share_every_digit_or_only_the_high_ones()
    {
        AssertSortsLikeArraySort(Enumerable.Repeat(3.25, 5_000).ToArray());
        var random = new Random(3);
        AssertSortsLikeArraySort(Enumerable.Range(0, 5_000).Select(_ => 1.0 + random.NextDouble()).ToArray()); // one exponent
        AssertSortsLikeArraySort(Enumerable.Range(0, 5_000).Select(_ => (double)random.Next(-3, 4)).ToArray()); // low digits all zero
    }

    [Fact]
    public void Leaves_samples_with_nan_to_the_comparison_sort()
    {
        var values = Mixed(5_000, 11);
        values[1234] = double.NaN;
        values[17] = -double.NaN;
        var expected = (double[])values.Clone();
        Array.Sort(expected);
        RadixSort.Sort(values);
        AssertSameBits(expected, values);
    }

    [Fact]
    public void Keys_map_back_to_the_same_bits_and_order_like_the_numbers()
    {
        var values = Mixed(2_000, 5);
        foreach (double v in values)
        {
            ulong bits = BitConverter.DoubleToUInt64Bits(v);
            Assert.Equal(bits, RadixSort.Bits(RadixSort.Key(bits)));
        }

        for (int i = 1; i < values.Length; i++)
        {
            var (a, b) = (values[i - 1], values[i]);
            int byKey = RadixSort.Key(BitConverter.DoubleToUInt64Bits(a)).CompareTo(RadixSort.Key(BitConverter.DoubleToUInt64Bits(b)));
            if (a != b)
                Assert.Equal(a.CompareTo(b), byKey);
        }
    }

    [Fact]
    public void Ks_and_wasserstein_do_not_depend_on_the_order_of_signed_zeros()
    {
        var random = new Random(13);
        double[] Sample(int n) => Enumerable.Range(0, n).Select(_ => random.Next(4) switch { 0 => 0.0, 1 => -0.0, _ => Math.Round(random.NextDouble() * 4 - 2, 1) }).ToArray();
        double[] reference = Sample(30_000), current = Sample(20_000);
        double[] r1 = (double[])reference.Clone(), c1 = (double[])current.Clone();
        Array.Sort(r1);
        Array.Sort(c1);
        double[] r2 = (double[])reference.Clone(), c2 = (double[])current.Clone();
        RadixSort.Sort(r2);
        RadixSort.Sort(c2);
        // Equal as numbers (−0.0 == +0.0); a wrong sort fails here, before statistics on unsorted data run for ages.
        Assert.True(r1.AsSpan().SequenceEqual(r2) && c1.AsSpan().SequenceEqual(c2), "radix sort differs from Array.Sort");
        foreach (var method in new[] { DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein, DriftMethod.Psi, DriftMethod.ChiSquare })
        {
            var a = SampleDrift.Numeric("x", r1, c1, method).Result;
            var b = SampleDrift.Numeric("x", r2, c2, method).Result;
            Assert.Equal(BitConverter.DoubleToInt64Bits(a.Statistic), BitConverter.DoubleToInt64Bits(b.Statistic));
            Assert.Equal(a.PValue is { } p ? BitConverter.DoubleToInt64Bits(p) : 0, b.PValue is { } q ? BitConverter.DoubleToInt64Bits(q) : 0);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(40)]
    public void Sorts_several_buffers_into_one_like_array_sort_of_them_all(int seed)
    {
        var random = new Random(seed);
        var values = Mixed(seed == 0 ? 500 : 60_000, seed);
        var sources = new List<ReadOnlyMemory<double>>();
        for (int at = 0; at < values.Length;)
        {
            int length = Math.Min(random.Next(0, 9_000), values.Length - at);
            sources.Add(values.AsMemory(at, length)); // empty buffers too
            at += length;
        }

        var expected = (double[])values.Clone();
        Array.Sort(expected);
        var actual = new double[values.Length];
        RadixSort.Sort(sources, actual);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i])
                Assert.Fail($"index {i}: expected {expected[i]:R}, got {actual[i]:R}");
        }

        AssertSameBits([.. values.Order(BitOrder.Instance)], [.. actual.Order(BitOrder.Instance)]);
    }

    [Fact]
    public void Sorting_buffers_handles_nan_equal_values_and_checks_the_length()
    {
        var withNan = Mixed(5_000, 2);
        withNan[4_321] = double.NaN;
        var expected = (double[])withNan.Clone();
        Array.Sort(expected);
        var actual = new double[withNan.Length];
        RadixSort.Sort([withNan.AsMemory(0, 3_000), withNan.AsMemory(3_000)], actual);
        AssertSameBits(expected, actual);

        var same = Enumerable.Repeat(-2.5, 3_000).ToArray();
        var sorted = new double[same.Length];
        RadixSort.Sort([same.AsMemory(0, 1_000), same.AsMemory(1_000)], sorted);
        AssertSameBits(same, sorted);

        Assert.Throws<ArgumentException>(() => RadixSort.Sort([same.AsMemory()], new double[10]));
    }

    /// <summary>Normal values rounded to few digits (many duplicates), both signs, signed zeros, tiny and huge magnitudes.</summary>
    private static double[] Mixed(int length, int seed)
    {
        var random = new Random(seed);
        var values = new double[length];
        for (int i = 0; i < length; i++)
        {
            values[i] = random.Next(10) switch
            {
                0 => random.Next(2) == 0 ? 0.0 : -0.0,
                1 => (random.NextDouble() - 0.5) * double.Epsilon * 1e6, // subnormal
                2 => (random.NextDouble() - 0.5) * 1e300,
                3 => Math.Round(random.NextDouble() * 10 - 5), // duplicates
                _ => Math.Round((random.NextDouble() - 0.5) * 100, random.Next(4)),
            };
        }

        return values;
    }

    /// <summary>Same numbers in the same order; the bits too, except that −0.0 and +0.0 may trade places.</summary>
    private static void AssertSortsLikeArraySort(double[] values)
    {
        var expected = (double[])values.Clone();
        Array.Sort(expected);
        var actual = (double[])values.Clone();
        RadixSort.Sort(actual);
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] != actual[i] || (expected[i] != 0 && BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i])))
                Assert.Fail($"index {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
        }

        // The same multiset of bits: no value lost or changed (a zero keeps its sign).
        AssertSameBits([.. values.Order(BitOrder.Instance)], [.. actual.Order(BitOrder.Instance)]);
    }

    /// <summary>Fails at the first difference (xunit's diff of two long sequences takes minutes).</summary>
    private static void AssertSameBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"index {i} of {expected.Length}: expected {expected[i]:R}, got {actual[i]:R}");
        }
    }

    private sealed class BitOrder : IComparer<double>
    {
        public static readonly BitOrder Instance = new();

        public int Compare(double x, double y) => BitConverter.DoubleToInt64Bits(x).CompareTo(BitConverter.DoubleToInt64Bits(y));
    }
}
