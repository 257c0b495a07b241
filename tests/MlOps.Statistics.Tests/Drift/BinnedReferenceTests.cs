using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Drift;

public class BinnedReferenceTests
{
    public static TheoryData<int> Cases => ReferenceData.Indices("binned.json", "cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Psi_floors_empty_bins_at_1e_4(int index)
    {
        var (r, c, e) = Load(index);
        Precision.Close(e.Double("psi_eps_1e-4"), BinnedDivergence.Psi(r, c), $"case {index} PSI");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Jensen_shannon_equals_scipy_in_both_bases(int index)
    {
        var (r, c, e) = Load(index);
        Precision.Close(e.Double("jensen_shannon_distance_base_e"), BinnedDivergence.JensenShannon(r, c), $"case {index} JS (e)");
        Precision.Close(e.Double("jensen_shannon_distance_base_2"), BinnedDivergence.JensenShannon(r, c, 2), $"case {index} JS (2)");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hellinger_equals_reference(int index)
    {
        var (r, c, e) = Load(index);
        Precision.Close(e.Double("hellinger"), BinnedDivergence.Hellinger(r, c), $"case {index} Hellinger");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Chi_square_equals_scipy_chi2_contingency(int index)
    {
        var e = ReferenceData.Case("binned.json", "cases", index);
        var (statistic, dof, p) = ChiSquareTest.Homogeneity(e.Longs("reference_counts"), e.Longs("current_counts"));
        Precision.Close(e.Double("chi2_homogeneity"), statistic, $"case {index} chi2");
        Assert.Equal(e.GetProperty("chi2_dof").GetInt32(), dof);
        Precision.Close(e.Double("chi2_pvalue"), p, $"case {index} chi2 p");
    }

    [Fact]
    public void Chi_square_drops_columns_empty_in_both_rows()
    {
        var with = ChiSquareTest.Homogeneity([10, 0, 20, 5], [12, 0, 18, 9]);
        var without = ChiSquareTest.Homogeneity([10, 20, 5], [12, 18, 9]);
        Assert.Equal(without, with);
        Assert.Equal(2, with.DegreesOfFreedom);
    }

    [Fact]
    public void Binned_tests_on_counts_use_proportions()
    {
        var e = ReferenceData.Case("binned.json", "cases", 0);
        var result = BinnedDivergence.Test(DriftMethod.JensenShannon, e.Longs("reference_counts"), e.Longs("current_counts"));
        Precision.Close(e.Double("jensen_shannon_distance_base_e"), result.Statistic, "JS on counts");
        Assert.True(result.Drifted);
    }

    private static (double[] Reference, double[] Current, System.Text.Json.JsonElement Expected) Load(int index)
    {
        var e = ReferenceData.Case("binned.json", "cases", index);
        return (BinnedDivergence.Proportions(e.Longs("reference_counts")), BinnedDivergence.Proportions(e.Longs("current_counts")), e);
    }
}
