using MlOps.Cli.Commands;
using MlOps.Cli.Csv;
using MlOps.Statistics.Drift;

namespace MlOps.Cli.Tests;

public class DriftEvaluationTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(DriftMethod.KolmogorovSmirnov)]
    [InlineData(DriftMethod.Wasserstein)]
    [InlineData(DriftMethod.Psi)]
    public void Every_column_gets_exactly_what_sample_drift_gives_on_sorted_arrays(DriftMethod? method)
    {
        var random = new Random(5);
        // Sizes on both sides of SciPy's exact/asymptotic KS switch (10 000) and of the radix sort's minimum.
        int[] sizes = [40, 900, 3_000, 12_000, 30_000];
        var reference = new List<ColumnSample>();
        var current = new List<ColumnSample>();
        for (int i = 0; i < sizes.Length; i++)
        {
            double shift = i % 2 == 0 ? 0 : 0.05;
            reference.Add(Numeric($"x{i}", Normal(random, sizes[i], 0, random.Next(1, 4))));
            current.Add(Numeric($"x{i}", Normal(random, sizes[^(i + 1)], shift, 1)));
        }

        if (method is null)
        {
            reference.Add(Categorical("c", ("a", 50), ("b", 30)));
            current.Add(Categorical("c", ("a", 20), ("b", 40), ("z", 1)));
        }

        var results = DriftEvaluation.Run(reference, current, method, threshold: null);

        Assert.Equal(reference.Count, results.Length);
        for (int i = 0; i < reference.Count; i++)
        {
            var (r, c) = (reference[i], current[i]);
            var expected = r.Type == ColumnType.Categorical
                ? SampleDrift.Categorical(r.Name, r.Counts, c.Counts, method)
                : SampleDrift.Numeric(r.Name, Sorted(r), Sorted(c), method);
            Assert.Equal(expected.Feature, results[i].Feature);
            Assert.Equal(expected.Result.Method, results[i].Result.Method);
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected.Result.Statistic), BitConverter.DoubleToInt64Bits(results[i].Result.Statistic));
            Assert.Equal(expected.Result.PValue is { } p ? BitConverter.DoubleToInt64Bits(p) : 0, results[i].Result.PValue is { } q ? BitConverter.DoubleToInt64Bits(q) : 0);
            Assert.Equal(expected.Result.Drifted, results[i].Result.Drifted);
        }
    }

    [Fact]
    public void Several_methods_give_each_exactly_what_it_gives_alone()
    {
        var random = new Random(11);
        int[] sizes = [40, 3_000, 12_000, 30_000];
        var reference = sizes.Select((n, i) => Numeric($"x{i}", Normal(random, n, 0, 1))).ToList();
        var current = sizes.Select((n, i) => Numeric($"x{i}", Normal(random, sizes[^(i + 1)], 0.05 * i, 1))).ToList();
        DriftMethod?[] methods = [DriftMethod.KolmogorovSmirnov, DriftMethod.Wasserstein, null, DriftMethod.Psi];

        var several = DriftEvaluation.Run(reference, current, methods, threshold: null);

        Assert.Equal(methods.Length, several.Length);
        for (int m = 0; m < methods.Length; m++)
        {
            var alone = DriftEvaluation.Run(reference, current, methods[m], threshold: null);
            Assert.Equal(alone, several[m]); // records: same method, statistic, p-value, threshold and verdict, exactly
        }
    }

    [Fact]
    public void A_failing_column_fails_the_evaluation_with_its_own_exception()
    {
        // SampleDrift refuses KS on a categorical column; the command checks this first, the evaluation reports it as is.
        var random = new Random(1);
        ColumnSample[] reference = [Numeric("x", Normal(random, 5_000, 0, 1)), Categorical("c", ("a", 1))];
        ColumnSample[] current = [Numeric("x", Normal(random, 5_000, 0, 1)), Categorical("c", ("a", 2))];
        var error = Assert.Throws<ArgumentException>(() => DriftEvaluation.Run(reference, current, DriftMethod.KolmogorovSmirnov, threshold: null));
        Assert.Contains("'c' is categorical", error.Message);
    }

    private static double[] Sorted(ColumnSample sample)
    {
        var values = sample.Numbers.ToArray();
        Array.Sort(values);
        return values;
    }

    private static ColumnSample Numeric(string name, double[] values)
    {
        var sample = new ColumnSample(name, 0, ColumnType.Infer);
        foreach (double v in values)
            sample.Numbers.Add(v);
        return sample;
    }

    private static ColumnSample Categorical(string name, params (string Label, int Count)[] counts)
    {
        var sample = new ColumnSample(name, 0, ColumnType.Categorical);
        foreach (var (label, count) in counts)
        {
            for (int i = 0; i < count; i++)
                sample.AddLabel(label);
        }

        return sample;
    }

    /// <summary>Normal draws rounded to 3 decimals, so that samples share values (ties) as CSV data do.</summary>
    private static double[] Normal(Random random, int count, double mean, double std) =>
        Enumerable.Range(0, count)
            .Select(_ => Math.Round(mean + (std * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble())), 3))
            .ToArray();
}
