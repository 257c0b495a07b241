using System.Diagnostics.CodeAnalysis;

namespace MlOps.Statistics.Drift;

/// <summary>Names, default thresholds and verdict rules of the drift methods, as Evidently defines them.</summary>
public static class DriftMethods
{
    /// <summary>Every method, in a stable order.</summary>
    public static IReadOnlyList<DriftMethod> All { get; } = Enum.GetValues<DriftMethod>();

    /// <summary>The short name used in the CLI, JSON and Prometheus labels.</summary>
    public static string Name(DriftMethod method) => method switch
    {
        DriftMethod.KolmogorovSmirnov => "ks",
        DriftMethod.Wasserstein => "wasserstein",
        DriftMethod.Psi => "psi",
        DriftMethod.JensenShannon => "jensenshannon",
        DriftMethod.ChiSquare => "chisquare",
        DriftMethod.Hellinger => "hellinger",
        DriftMethod.ZTest => "ztest",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };

    /// <summary>Parses a short name (case-insensitive).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out DriftMethod? method)
    {
        foreach (var m in All)
        {
            if (string.Equals(Name(m), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                method = m;
                return true;
            }
        }

        method = null;
        return false;
    }

    /// <summary>True for tests whose verdict reads a p-value (KS, chi-square, Z), false for distances.</summary>
    public static bool UsesPValue(DriftMethod method) =>
        method is DriftMethod.KolmogorovSmirnov or DriftMethod.ChiSquare or DriftMethod.ZTest;

    /// <summary>Evidently's default threshold: 0.05 for p-value tests, 0.1 for distances.</summary>
    public static double DefaultThreshold(DriftMethod method) => UsesPValue(method) ? 0.05 : 0.1;

    /// <summary>
    /// Evidently's verdict: KS drifts when p ≤ threshold, chi-square and Z when p &lt; threshold,
    /// every distance when statistic ≥ threshold.
    /// </summary>
    public static bool IsDrift(DriftMethod method, double statistic, double? pValue, double threshold) => method switch
    {
        DriftMethod.KolmogorovSmirnov => pValue <= threshold,
        DriftMethod.ChiSquare or DriftMethod.ZTest => pValue < threshold,
        _ => statistic >= threshold,
    };

    /// <summary>Builds a result with the verdict for <paramref name="threshold"/> (or the default when null).</summary>
    public static DriftResult Result(DriftMethod method, double statistic, double? pValue, double? threshold = null)
    {
        double t = threshold ?? DefaultThreshold(method);
        return new DriftResult(method, statistic, pValue, t, IsDrift(method, statistic, pValue, t));
    }
}
