using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Profiles;

/// <summary>Profiles of every feature of one data set or window, mergeable as a whole.</summary>
public sealed class DatasetProfile
{
    private readonly Dictionary<string, FeatureProfile> _features = new(StringComparer.Ordinal);

    /// <summary>Rows profiled.</summary>
    public long Rows { get; private set; }

    /// <summary>Feature profiles by name.</summary>
    public IReadOnlyDictionary<string, FeatureProfile> Features => _features;

    /// <summary>Adds a feature's profile (a new name) or merges it into the existing one.</summary>
    public void AddFeature(string name, FeatureProfile profile)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(profile);
        if (_features.TryGetValue(name, out var existing))
            existing.Merge(profile);
        else
            _features[name] = profile;
    }

    /// <summary>Counts rows added through the feature profiles.</summary>
    public void AddRows(long rows)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        Rows += rows;
    }

    /// <summary>Merges another profile of the same features (commutative and associative).</summary>
    public void Merge(DatasetProfile other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var (name, profile) in other._features)
        {
            if (_features.TryGetValue(name, out var existing))
                existing.Merge(profile);
            else
                _features[name] = profile.Clone();
        }

        Rows += other.Rows;
    }

    /// <summary>An empty profile with the same features and bins, for the next window.</summary>
    public DatasetProfile CreateEmpty()
    {
        var empty = new DatasetProfile();
        foreach (var (name, profile) in _features)
            empty._features[name] = profile.CreateEmpty();
        return empty;
    }

    /// <summary>
    /// Drift of <paramref name="current"/> against this reference for every feature both have, with Evidently's
    /// default method unless <paramref name="overrides"/> names one, and the dataset verdict.
    /// </summary>
    public DatasetDrift EvaluateDrift(DatasetProfile current, IReadOnlyDictionary<string, DriftOverride>? overrides = null, double shareThreshold = 0.5)
    {
        ArgumentNullException.ThrowIfNull(current);
        var results = new List<FeatureDrift>(_features.Count);
        foreach (var (name, reference) in _features.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!current._features.TryGetValue(name, out var profile))
                continue;
            DriftOverride? o = overrides?.GetValueOrDefault(name);
            results.Add(ProfileDrift.Evaluate(name, reference, profile, o?.Method, o?.Threshold));
        }

        return DatasetDrift.From(results, shareThreshold);
    }
}
