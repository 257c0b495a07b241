namespace MlOps.Statistics.Drift;

/// <summary>The outcome of one drift test on one feature.</summary>
/// <param name="Method">The test or distance used.</param>
/// <param name="Statistic">D for KS, χ² for chi-square, z for the Z-test, otherwise the distance.</param>
/// <param name="PValue">The p-value where the method defines one, else null.</param>
/// <param name="Threshold">The threshold the verdict was taken against.</param>
/// <param name="Drifted">The verdict.</param>
public readonly record struct DriftResult(DriftMethod Method, double Statistic, double? PValue, double Threshold, bool Drifted);
