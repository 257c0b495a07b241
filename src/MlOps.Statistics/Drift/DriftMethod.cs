namespace MlOps.Statistics.Drift;

/// <summary>A statistical test or distance that compares a current distribution with a reference one.</summary>
public enum DriftMethod
{
    /// <summary>Two-sample Kolmogorov–Smirnov: statistic D, drift when p ≤ threshold.</summary>
    KolmogorovSmirnov,

    /// <summary>Wasserstein-1 distance divided by max(reference std, 0.001): drift when ≥ threshold.</summary>
    Wasserstein,

    /// <summary>Population stability index on binned proportions: drift when ≥ threshold.</summary>
    Psi,

    /// <summary>Jensen–Shannon distance (natural log) on binned proportions: drift when ≥ threshold.</summary>
    JensenShannon,

    /// <summary>Chi-square test of homogeneity on counts: drift when p &lt; threshold.</summary>
    ChiSquare,

    /// <summary>Hellinger distance on binned proportions: drift when ≥ threshold.</summary>
    Hellinger,

    /// <summary>Two-proportion Z-test: drift when p &lt; threshold.</summary>
    ZTest,
}
