using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Schemas;
using MlOps.Statistics.Drift;
using MlOps.Statistics.Profiles;

namespace MlOps.Monitoring.Catalog;

/// <summary>What the monitor knows of one registered version: its reference profile (if it has one) and its training metrics.</summary>
public sealed record VersionReference(DatasetProfile? Profile, IReadOnlyDictionary<string, double> Metrics);

/// <summary>
/// What the monitor needs to know about a model: its schema, monitoring settings, champion, and the reference profile
/// and training metrics of each version. A window of version V is compared with V's own reference when V has one,
/// else with the champion's (<see cref="ReferenceFor"/>).
/// </summary>
public sealed record ModelContext(
    ModelSchema Schema,
    MonitoringConfig Monitoring,
    string? ChampionVersion,
    IReadOnlyDictionary<string, VersionReference> Versions)
{
    public string Name => Schema.Model;

    public TimeSpan WindowSize => TimeSpan.FromMinutes(Monitoring.WindowMinutes);

    public TimeSpan AllowedLateness => TimeSpan.FromMinutes(Monitoring.AllowedLatenessMinutes);

    /// <summary>Per-feature drift overrides in the Statistics form.</summary>
    public IReadOnlyDictionary<string, DriftOverride> Overrides { get; } = Monitoring.Features.ToDictionary(
        kv => kv.Key,
        kv => new DriftOverride(kv.Value.Method is { } m && DriftMethods.TryParse(m, out var method) ? method : null, kv.Value.Threshold));

    /// <summary>The champion's training metrics (empty without a champion).</summary>
    public IReadOnlyDictionary<string, double> ChampionMetrics =>
        ChampionVersion is { } c && Versions.TryGetValue(c, out var champion) ? champion.Metrics : EmptyMetrics;

    /// <summary>
    /// The reference that windows of <paramref name="version"/> are compared with: the version's own profile, else
    /// the champion's; null when neither has one.
    /// </summary>
    public (string Version, DatasetProfile Profile)? ReferenceFor(string version)
    {
        if (Versions.GetValueOrDefault(version)?.Profile is { } own)
            return (version, own);
        if (ChampionVersion is { } champion && Versions.GetValueOrDefault(champion)?.Profile is { } profile)
            return (champion, profile);
        return null;
    }

    /// <summary>The profile of a named reference version, if the catalog still has it.</summary>
    public DatasetProfile? ReferenceProfile(string version) => Versions.GetValueOrDefault(version)?.Profile;

    /// <summary>Why windows of <paramref name="version"/> have no reference to be compared with (see <see cref="ReferenceFor"/>).</summary>
    public string NoReferenceReason(string version) => ChampionVersion is null
        ? $"no reference profile for version {version} and no champion"
        : $"no reference profile for version {version} nor for the champion (version {ChampionVersion})";

    /// <summary>The training metrics that a window of <paramref name="version"/> is held to: its own, else the champion's.</summary>
    public IReadOnlyDictionary<string, double> BaselineMetrics(string version) =>
        Versions.GetValueOrDefault(version)?.Metrics is { Count: > 0 } own ? own : ChampionMetrics;

    /// <summary>
    /// An empty dataset profile for a new window of <paramref name="version"/>: on the bins of its reference
    /// (<see cref="ReferenceFor"/>, whose version is returned), or plain profiles when there is none.
    /// </summary>
    public (DatasetProfile Profile, string? ReferenceVersion) NewFeatureProfile(string version)
    {
        if (ReferenceFor(version) is { } reference)
        {
            var empty = reference.Profile.CreateEmpty();
            foreach (var f in Schema.Features.Where(f => !empty.Features.ContainsKey(f.Name)))
                empty.AddFeature(f.Name, Plain(f.Type));
            return (empty, reference.Version);
        }

        var profile = new DatasetProfile();
        foreach (var f in Schema.Features)
            profile.AddFeature(f.Name, Plain(f.Type));
        return (profile, null);
    }

    /// <summary>An empty profile of the predictions: labels for classification, numbers for regression.</summary>
    public FeatureProfile NewPredictionProfile() => Schema.Task == ModelTask.Regression ? new NumericProfile() : new CategoricalProfile();

    private static readonly IReadOnlyDictionary<string, double> EmptyMetrics = new Dictionary<string, double>();

    private static FeatureProfile Plain(FeatureType type) => type == FeatureType.Numeric ? new NumericProfile() : new CategoricalProfile();
}
