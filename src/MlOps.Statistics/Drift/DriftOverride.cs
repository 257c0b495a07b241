namespace MlOps.Statistics.Drift;

/// <summary>A per-feature choice of method and/or threshold that replaces the defaults.</summary>
public sealed record DriftOverride(DriftMethod? Method = null, double? Threshold = null);
