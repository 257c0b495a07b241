using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Tests.Drift;

public class WassersteinReferenceTests
{
    public static TheoryData<int> Cases => ReferenceData.Indices("wasserstein.json", "cases");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Distance_equals_scipy_wasserstein_distance(int index)
    {
        var c = ReferenceData.Case("wasserstein.json", "cases", index);
        double w = WassersteinDistance.Distance(ReferenceData.Sorted(c.Doubles("reference")), ReferenceData.Sorted(c.Doubles("current")));
        Precision.Close(c.Double("distance"), w, $"case {index} distance");
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Normalised_statistic_divides_by_population_std(int index)
    {
        var c = ReferenceData.Case("wasserstein.json", "cases", index);
        var reference = ReferenceData.Sorted(c.Doubles("reference"));
        Precision.Close(c.Double("reference_std_population"), WassersteinDistance.PopulationStd(reference), $"case {index} std (ddof 0)");
        var result = WassersteinDistance.Test(reference, ReferenceData.Sorted(c.Doubles("current")));
        double expected = c.Double("distance") / Math.Max(c.Double("reference_std_population"), 0.001);
        Precision.Close(expected, result.Statistic, $"case {index} normalised");
        Assert.Equal(expected >= 0.1, result.Drifted);
    }

    [Fact]
    public void Constant_reference_is_scaled_by_the_floor()
    {
        var result = WassersteinDistance.Test([5, 5, 5], [5, 5, 6]);
        Precision.Close((1.0 / 3) / 0.001, result.Statistic, "floor 0.001");
    }
}
