using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;
using MlOps.Statistics.Tests.Profiles;

namespace MlOps.Statistics.Tests.Drift;

public class ProfileDriftTests
{
    public static TheoryData<int> KsCases => ReferenceData.Indices("ks_2samp.json", "cases");

    public static TheoryData<int> WassersteinCases => ReferenceData.Indices("wasserstein.json", "cases");

    [Theory]
    [MemberData(nameof(KsCases))]
    public void Sketch_ks_bounds_contain_the_exact_scipy_statistic(int index)
    {
        var c = ReferenceData.Case("ks_2samp.json", "cases", index);
        var (reference, current) = Profiles(c.Doubles("reference"), c.Doubles("current"));
        var (d, upper) = ProfileDrift.KolmogorovSmirnovBounds(reference.Sketch, current.Sketch);
        double exact = c.Double("statistic");
        Assert.True(d <= exact + 1e-12 && exact <= upper + 1e-12, $"{d} <= {exact} <= {upper}");
        var drift = ProfileDrift.Evaluate("x", reference, current, DriftMethod.KolmogorovSmirnov);
        if (reference.DistinctOverflow || current.DistinctOverflow)
        {
            Assert.Equal(upper - d, drift.ErrorBound, 1e-15);
            Assert.True(drift.ErrorBound < 0.05, $"bound {drift.ErrorBound} should be small for continuous data at 1 % accuracy");
        }
        else
        {
            // Few distinct values: the profiles hold them all, and the statistic is exact.
            Assert.Equal(0, drift.ErrorBound);
            Precision.Close(exact, drift.Result.Statistic, "exact D from value counts");
            Precision.Close(c.Double("pvalue_exact"), drift.Result.PValue!.Value, "exact p from value counts");
        }
    }

    [Theory]
    [MemberData(nameof(WassersteinCases))]
    public void Sketch_wasserstein_is_within_its_stated_bound_of_scipy(int index)
    {
        var c = ReferenceData.Case("wasserstein.json", "cases", index);
        var (reference, current) = Profiles(c.Doubles("reference"), c.Doubles("current"));
        var drift = ProfileDrift.Evaluate("x", reference, current, DriftMethod.Wasserstein);
        double exact = c.Double("distance") / Math.Max(c.Double("reference_std_population"), 0.001);
        Precision.Within(exact, drift.Result.Statistic, drift.ErrorBound, $"case {index} normalised Wasserstein");
        Assert.Equal(reference.DistinctOverflow || current.DistinctOverflow, drift.ErrorBound > 0);
    }

    [Fact]
    public void Binned_profile_tests_equal_the_same_tests_on_the_counts()
    {
        var reference = NumericProfile.Build(Data.Normal(1, 5000));
        var current = reference.CreateEmpty();
        current.Add(Data.Normal(2, 3000, 0.3, 1.2));
        foreach (var method in new[] { DriftMethod.Psi, DriftMethod.JensenShannon, DriftMethod.Hellinger, DriftMethod.ChiSquare })
        {
            var fromProfiles = ProfileDrift.Evaluate("x", reference, current, method).Result;
            var fromCounts = ProfileDrift.Binned(method, reference.BinCounts, current.BinCounts, null);
            Assert.Equal(fromCounts, fromProfiles);
            Assert.True(fromProfiles.Drifted, $"{method} should see a 0.3σ shift with wider spread");
        }
    }

    [Fact]
    public void Default_methods_flag_the_drifted_feature_only()
    {
        var referenceSet = new DatasetProfile();
        referenceSet.AddFeature("stable", NumericProfile.Build(Data.Normal(1, 5000)));
        referenceSet.AddFeature("shifted", NumericProfile.Build(Data.Normal(2, 5000)));
        var plan = new CategoricalProfile();
        foreach (int i in Enumerable.Range(0, 5000))
            plan.Add(i % 3 == 0 ? "gold" : "basic");
        referenceSet.AddFeature("plan", plan);

        var window = referenceSet.CreateEmpty();
        ((NumericProfile)window.Features["stable"]).Add(Data.Normal(3, 2000));
        ((NumericProfile)window.Features["shifted"]).Add(Data.Normal(4, 2000, 0.5));
        foreach (int i in Enumerable.Range(0, 2000))
            ((CategoricalProfile)window.Features["plan"]).Add(i % 3 == 0 ? "gold" : "basic");

        var drift = referenceSet.EvaluateDrift(window);
        var verdicts = drift.Features.ToDictionary(f => f.Feature, f => f.Result);
        Assert.Equal(DriftMethod.Wasserstein, verdicts["stable"].Method);
        Assert.Equal(DriftMethod.JensenShannon, verdicts["plan"].Method);
        Assert.False(verdicts["stable"].Drifted);
        Assert.True(verdicts["shifted"].Drifted);
        Assert.False(verdicts["plan"].Drifted);
        Assert.Equal(1.0 / 3, drift.DriftedShare, 1e-12);
        Assert.False(drift.IsDrifted);
    }

    [Fact]
    public void Overrides_replace_method_and_threshold()
    {
        var reference = new DatasetProfile();
        reference.AddFeature("x", NumericProfile.Build(Data.Normal(1, 5000)));
        var window = reference.CreateEmpty();
        ((NumericProfile)window.Features["x"]).Add(Data.Normal(2, 1000, 0.05));
        var drift = reference.EvaluateDrift(window, new Dictionary<string, DriftOverride> { ["x"] = new(DriftMethod.Psi, 0.0001) });
        Assert.Equal(DriftMethod.Psi, drift.Features[0].Result.Method);
        Assert.Equal(0.0001, drift.Features[0].Result.Threshold);
        Assert.True(drift.Features[0].Result.Drifted);
    }

    [Fact]
    public void Empty_window_reports_no_drift()
    {
        var reference = NumericProfile.Build(Data.Normal(1, 100));
        var drift = ProfileDrift.Evaluate("x", reference, reference.CreateEmpty());
        Assert.False(drift.Result.Drifted);
        Assert.True(double.IsNaN(drift.Result.Statistic));
    }

    private static (NumericProfile Reference, NumericProfile Current) Profiles(double[] reference, double[] current)
    {
        var r = NumericProfile.Build(reference);
        var c = r.CreateEmpty();
        c.Add(current);
        return (r, c);
    }
}
