using BenchmarkDotNet.Attributes;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;

namespace MlOps.Benchmarks;

/// <summary>
/// Drift evaluation of one 20-feature window (15 numeric, 5 categorical) from profiles, as the monitor runs it when a
/// window closes. Profiles are built in the setup; only <see cref="DatasetProfile.EvaluateDrift"/> is measured.
/// A 5 000-row reference gives Evidently's defaults Wasserstein (numeric) and Jensen–Shannon (categorical);
/// a 1 000-row reference gives KS and chi-square.
/// </summary>
[MemoryDiagnoser]
public class WindowEvaluationBenchmarks
{
    private const int NumericFeatures = 15;
    private const int CategoricalFeatures = 5;

    private DatasetProfile _reference = null!;
    private DatasetProfile _window = null!;

    /// <summary>Rows in the evaluated window.</summary>
    [Params(10_000, 100_000, 1_000_000)]
    public int WindowRows { get; set; }

    /// <summary>Rows in the reference: 5 000 → Wasserstein / Jensen–Shannon, 1 000 → KS / chi-square.</summary>
    [Params(1_000, 5_000)]
    public int ReferenceRows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _reference = new DatasetProfile();
        for (int f = 0; f < NumericFeatures; f++)
        {
            var (mean, std) = Shape(f);
            _reference.AddFeature(NumericName(f), NumericProfile.Build(SyntheticData.Normal(ReferenceRows, mean, std, seed: 100 + f)));
        }

        for (int f = 0; f < CategoricalFeatures; f++)
        {
            var profile = new CategoricalProfile();
            foreach (string label in SyntheticData.Categorical(ReferenceRows, skew: 0, seed: 200 + f))
                profile.Add(label.AsSpan());
            _reference.AddFeature(CategoricalName(f), profile);
        }

        _reference.AddRows(ReferenceRows);

        // The window: every third numeric feature and every other categorical one shifted.
        _window = _reference.CreateEmpty();
        for (int f = 0; f < NumericFeatures; f++)
        {
            var (mean, std) = Shape(f);
            double shift = f % 3 == 0 ? 0.5 * std : 0;
            ((NumericProfile)_window.Features[NumericName(f)]).Add(SyntheticData.Normal(WindowRows, mean + shift, std, seed: 300 + f));
        }

        for (int f = 0; f < CategoricalFeatures; f++)
        {
            var profile = (CategoricalProfile)_window.Features[CategoricalName(f)];
            foreach (string label in SyntheticData.Categorical(WindowRows, skew: f % 2 == 0 ? 2 : 0, seed: 400 + f))
                profile.Add(label.AsSpan());
        }

        _window.AddRows(WindowRows);
    }

    /// <summary>All 20 features with Evidently's default method per feature, and the dataset verdict.</summary>
    [Benchmark]
    public DatasetDrift EvaluateWindow() => _reference.EvaluateDrift(_window);

    // Features centred on zero use the most sketch buckets (both signs, many magnitudes); the others are like
    // typical positive measurements.
    private static (double Mean, double Std) Shape(int feature) => (feature % 3) switch
    {
        0 => (0, 1),
        1 => (50, 10),
        _ => (1_000, 250),
    };

    private static string NumericName(int f) => "num_" + f.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);

    private static string CategoricalName(int f) => "cat_" + f.ToString("D2", System.Globalization.CultureInfo.InvariantCulture);
}
