using MlOps.Statistics.Distributions;
using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Drift;

public class KolmogorovSmirnovReferenceTests
{
    public static TheoryData<int> Cases => ReferenceData.Indices("ks_2samp.json", "cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Statistic_equals_scipy_ks_2samp(int index)
    {
        var c = ReferenceData.Case("ks_2samp.json", "cases", index);
        double d = KolmogorovSmirnovTest.Statistic(ReferenceData.Sorted(c.Doubles("reference")), ReferenceData.Sorted(c.Doubles("current")));
        Precision.Close(c.Double("statistic"), d, $"case {index} D");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Exact_p_value_equals_scipy_method_exact(int index)
    {
        var c = ReferenceData.Case("ks_2samp.json", "cases", index);
        var (r, cur) = (c.Doubles("reference"), c.Doubles("current"));
        double d = KolmogorovSmirnovTest.Statistic(ReferenceData.Sorted(r), ReferenceData.Sorted(cur));
        Precision.Close(c.Double("pvalue_exact"), KolmogorovSmirnov.TwoSampleExactPValue(r.Length, cur.Length, d), $"case {index} exact p");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Asymptotic_p_value_equals_scipy_method_asymp(int index)
    {
        var c = ReferenceData.Case("ks_2samp.json", "cases", index);
        var (r, cur) = (c.Doubles("reference"), c.Doubles("current"));
        double d = KolmogorovSmirnovTest.Statistic(ReferenceData.Sorted(r), ReferenceData.Sorted(cur));
        Precision.Close(c.Double("pvalue_asymp"), KolmogorovSmirnov.TwoSampleAsymptoticPValue(r.Length, cur.Length, d), $"case {index} asymptotic p");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Test_uses_scipy_default_method_and_evidently_verdict(int index)
    {
        var c = ReferenceData.Case("ks_2samp.json", "cases", index);
        var result = KolmogorovSmirnovTest.Test(ReferenceData.Sorted(c.Doubles("reference")), ReferenceData.Sorted(c.Doubles("current")));
        // Every case has max(n, m) <= 10 000, where SciPy's default is the exact method.
        Precision.Close(c.Double("pvalue_exact"), result.PValue!.Value, $"case {index} default p");
        Assert.Equal(c.Double("pvalue_exact") <= 0.05, result.Drifted);
        Assert.Equal(0.05, result.Threshold);
    }

    [Fact]
    public void Statistic_handles_ties_across_samples()
    {
        // scipy.stats.ks_2samp([1, 2, 2, 3], [2, 2, 3, 3, 4]).statistic == 0.35 (at x = 2: 3/4 − 2/5)
        double d = KolmogorovSmirnovTest.Statistic([1, 2, 2, 3], [2, 2, 3, 3, 4]);
        Precision.Close(0.35, d, "tied D");
    }

    [Fact]
    public void Identical_samples_have_no_drift()
    {
        double[] x = [1, 2, 3, 4, 5, 6, 7];
        var result = KolmogorovSmirnovTest.Test(x, x);
        Assert.Equal(0, result.Statistic);
        Assert.Equal(1.0, result.PValue);
        Assert.False(result.Drifted);
    }
}
