namespace MlOps.Statistics.Drift;

/// <summary>Drift of every feature and the dataset verdict: drifted share ≥ the share threshold (default 0.5).</summary>
public sealed record DatasetDrift(IReadOnlyList<FeatureDrift> Features, double DriftedShare, bool IsDrifted)
{
    /// <summary>Computes the share and verdict for a set of feature results.</summary>
    public static DatasetDrift From(IReadOnlyList<FeatureDrift> features, double shareThreshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(features);
        int drifted = features.Count(f => f.Result.Drifted);
        double share = features.Count == 0 ? 0 : (double)drifted / features.Count;
        return new DatasetDrift(features, share, DefaultDriftMethod.IsDatasetDrift(drifted, features.Count, shareThreshold));
    }
}
