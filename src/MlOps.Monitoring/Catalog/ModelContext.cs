using MlOps.Contracts.Schemas;
using MlOps.Contracts.Monitoring;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Catalog;

/// <summary>What the monitor needs to know about a model: its schema, its champion's reference profile and its monitoring settings.</summary>
public sealed record ModelContext(
    ModelSchema Schema,
    MonitoringConfig Monitoring,
    string? ChampionVersion,
    DatasetProfile? Reference,
    IReadOnlyDictionary<string, double> ChampionMetrics)
{
    public string Name => Schema.Model;

    public TimeSpan WindowSize => TimeSpan.FromMinutes(Monitoring.WindowMinutes);

    public TimeSpan AllowedLateness => TimeSpan.FromMinutes(Monitoring.AllowedLatenessMinutes);

    /// <summary>Per-feature drift overrides in the Statistics form.</summary>
    public IReadOnlyDictionary<string, DriftOverride> Overrides { get; } = Monitoring.Features.ToDictionary(
        kv => kv.Key,
        kv => new DriftOverride(kv.Value.Method is { } m && DriftMethods.TryParse(m, out var method) ? method : null, kv.Value.Threshold));

    /// <summary>An empty dataset profile for a new window: the reference's bins, or plain profiles when there is no reference yet.</summary>
    public DatasetProfile NewFeatureProfile()
    {
        if (Reference is not null)
        {
            var empty = Reference.CreateEmpty();
            foreach (var f in Schema.Features.Where(f => !empty.Features.ContainsKey(f.Name)))
                empty.AddFeature(f.Name, Plain(f.Type));
            return empty;
        }

        var profile = new DatasetProfile();
        foreach (var f in Schema.Features)
            profile.AddFeature(f.Name, Plain(f.Type));
        return profile;
    }

    /// <summary>An empty profile of the predictions: labels for classification, numbers for regression.</summary>
    public FeatureProfile NewPredictionProfile() => Schema.Task == ModelTask.Regression ? new NumericProfile() : new CategoricalProfile();

    private static FeatureProfile Plain(FeatureType type) => type == FeatureType.Numeric ? new NumericProfile() : new CategoricalProfile();
}
