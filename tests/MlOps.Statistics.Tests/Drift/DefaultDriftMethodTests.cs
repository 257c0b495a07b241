using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Drift;

public class DefaultDriftMethodTests
{
    [Theory]
    [InlineData(1000, ColumnKind.Numeric, 6, DriftMethod.KolmogorovSmirnov)]
    [InlineData(1000, ColumnKind.Numeric, 5, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Numeric, 3, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Numeric, 2, DriftMethod.ZTest)]
    [InlineData(1000, ColumnKind.Categorical, 50, DriftMethod.ChiSquare)]
    [InlineData(1000, ColumnKind.Categorical, 2, DriftMethod.ZTest)]
    [InlineData(1001, ColumnKind.Numeric, 6, DriftMethod.Wasserstein)]
    [InlineData(1001, ColumnKind.Numeric, 5, DriftMethod.JensenShannon)]
    [InlineData(1001, ColumnKind.Categorical, 50, DriftMethod.JensenShannon)]
    [InlineData(1001, ColumnKind.Categorical, 2, DriftMethod.JensenShannon)]
    public void Default_method_follows_evidently(long rows, ColumnKind kind, long distinct, DriftMethod expected) =>
        Assert.Equal(expected, DefaultDriftMethod.Choose(rows, kind, distinct));

    [Fact]
    public void Distinct_values_are_counted_over_reference_and_current_together_as_evidently_does()
    {
        // pd.concat([reference, current]).nunique(): 3 values in the reference, 8 together.
        double[] reference = [.. Enumerable.Range(0, 2000).Select(i => (double)(i % 3))];
        double[] current = [.. Enumerable.Range(0, 2000).Select(i => (double)(i % 8))];
        Array.Sort(reference);
        Array.Sort(current);
        Assert.Equal(8, SampleDrift.CountDistinctUnion(reference, current));
        Assert.Equal(DriftMethod.Wasserstein, SampleDrift.NumericMethod(reference, current));
        Assert.Equal(DriftMethod.JensenShannon, SampleDrift.NumericMethod(reference, reference));
        Assert.Equal(DriftMethod.KolmogorovSmirnov, SampleDrift.NumericMethod(reference.AsSpan(0, 900), current));

        var r = new MlOps.Statistics.Profiles.NumericProfile();
        var c = new MlOps.Statistics.Profiles.NumericProfile();
        foreach (double v in reference)
            r.Add(v);
        foreach (double v in current)
            c.Add(v);
        Assert.Equal(8, ProfileDrift.DistinctTogether(r, c));
        Assert.Equal("wasserstein", DriftMethods.Name(ProfileDrift.Evaluate("x", r, c).Result.Method));

        var rc = new Dictionary<string, long> { ["a"] = 1500, ["b"] = 500 };
        var cc = new Dictionary<string, long> { ["a"] = 10, ["c"] = 10, ["d"] = 10 };
        Assert.Equal(DriftMethod.ChiSquare, SampleDrift.Categorical("p", new Dictionary<string, long> { ["a"] = 500, ["b"] = 500 }, cc).Result.Method);
        Assert.Equal(DriftMethod.JensenShannon, SampleDrift.Categorical("p", rc, cc).Result.Method);
    }

    [Theory]
    [InlineData(DriftMethod.KolmogorovSmirnov, 0.05, true)]
    [InlineData(DriftMethod.ChiSquare, 0.05, false)]
    [InlineData(DriftMethod.ZTest, 0.05, false)]
    [InlineData(DriftMethod.ChiSquare, 0.0499, true)]
    public void P_value_verdicts_use_evidently_comparisons(DriftMethod method, double p, bool drift) =>
        Assert.Equal(drift, DriftMethods.IsDrift(method, 0, p, 0.05));

    [Theory]
    [InlineData(DriftMethod.Wasserstein)]
    [InlineData(DriftMethod.JensenShannon)]
    [InlineData(DriftMethod.Psi)]
    [InlineData(DriftMethod.Hellinger)]
    public void Distances_drift_at_or_above_the_threshold(DriftMethod method)
    {
        Assert.True(DriftMethods.IsDrift(method, 0.1, null, 0.1));
        Assert.False(DriftMethods.IsDrift(method, 0.0999, null, 0.1));
    }

    [Theory]
    [InlineData(1, 2, true)]
    [InlineData(2, 5, false)]
    [InlineData(3, 6, true)]
    [InlineData(0, 0, false)]
    public void Dataset_drifts_when_half_or_more_of_the_features_drift(int drifted, int total, bool expected) =>
        Assert.Equal(expected, DefaultDriftMethod.IsDatasetDrift(drifted, total));

    [Fact]
    public void Method_names_round_trip()
    {
        foreach (var m in DriftMethods.All)
        {
            Assert.True(DriftMethods.TryParse(DriftMethods.Name(m).ToUpperInvariant(), out var parsed));
            Assert.Equal(m, parsed);
        }

        Assert.False(DriftMethods.TryParse("kolmogorov", out _));
    }

    [Fact]
    public void Z_test_matches_the_pooled_two_proportion_formula()
    {
        // 30/100 vs 45/100: pooled 0.375, se = sqrt(0.375*0.625*0.02), z = -0.15/se; p = 2*norm.sf(|z|)
        var (z, p) = TwoProportionZTest.Test(30, 100, 45, 100);
        Precision.Close(-2.1908902300206647, z, "z");
        Precision.Close(0.02845973691631055, p, "p");
    }
}
