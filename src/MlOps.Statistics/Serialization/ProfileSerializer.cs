using System.Text.Json;
using MlOps.Statistics.Profiles;

namespace MlOps.Statistics.Serialization;

/// <summary>
/// Turns profiles into versioned JSON and back, losslessly: a restored profile merges and evaluates exactly as the
/// original. Used to store reference profiles and window checkpoints.
/// </summary>
public static class ProfileSerializer
{
    /// <summary>The document version written.</summary>
    public const int CurrentVersion = 1;

    /// <summary>Serializes a dataset profile to UTF-8 JSON.</summary>
    public static byte[] Serialize(DatasetProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var features = new Dictionary<string, FeatureProfileDocument>(StringComparer.Ordinal);
        foreach (var (name, feature) in profile.Features)
            features[name] = ToDocument(feature);
        return JsonSerializer.SerializeToUtf8Bytes(new DatasetProfileDocument(CurrentVersion, profile.Rows, features), ProfileJsonContext.Default.DatasetProfileDocument);
    }

    /// <summary>Serializes one feature profile to UTF-8 JSON.</summary>
    public static byte[] Serialize(FeatureProfile profile) =>
        JsonSerializer.SerializeToUtf8Bytes(ToDocument(profile), ProfileJsonContext.Default.FeatureProfileDocument);

    /// <summary>Reads a dataset profile; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static DatasetProfile DeserializeDataset(ReadOnlySpan<byte> utf8Json)
    {
        DatasetProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, ProfileJsonContext.Default.DatasetProfileDocument);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a profile document: {e.Message}", e);
        }

        if (document is null)
            throw new FormatException("Not a profile document: null.");
        if (document.Version != CurrentVersion)
            throw new FormatException($"Profile document version {document.Version} is not supported (expected {CurrentVersion}).");
        var profile = new DatasetProfile();
        foreach (var (name, feature) in document.Features ?? [])
            profile.AddFeature(name, FromDocument(name, feature));
        profile.AddRows(document.Rows);
        return profile;
    }

    /// <summary>Reads one feature profile.</summary>
    public static FeatureProfile DeserializeFeature(ReadOnlySpan<byte> utf8Json)
    {
        FeatureProfileDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(utf8Json, ProfileJsonContext.Default.FeatureProfileDocument);
        }
        catch (JsonException e)
        {
            throw new FormatException($"Not a feature profile: {e.Message}", e);
        }

        return FromDocument("feature", document ?? throw new FormatException("Not a feature profile: null."));
    }

    private static FeatureProfileDocument ToDocument(FeatureProfile feature)
    {
        switch (feature)
        {
            case NumericProfile n:
            {
                var (mean, m2, sumAbs) = n.RawMoments;
                var (negative, zero, positive) = n.Sketch.ToBuckets();
                var sketch = new SketchDocument(
                    n.Sketch.RelativeAccuracy,
                    n.Sketch.MaxBuckets,
                    zero,
                    negative.Select(b => new long[] { b.Index, b.Count }).ToArray(),
                    positive.Select(b => new long[] { b.Index, b.Count }).ToArray());
                return new FeatureProfileDocument("numeric", n.Missing, Numeric: new NumericDocument(
                    n.Count,
                    n.Min,
                    n.Max,
                    mean,
                    m2,
                    sumAbs,
                    n.DistinctOverflow ? null : n.DistinctValues.Select(kv => new[] { kv.Key, kv.Value }).ToArray(),
                    n.Binning is null ? null : new BinningDocument(n.Binning.ByValue, [.. n.Binning.Points]),
                    n.BinCounts.ToArray(),
                    sketch));
            }

            case CategoricalProfile c:
                return new FeatureProfileDocument("categorical", c.Missing, Categorical: new CategoricalDocument(
                    c.MaxCategories, c.OtherCount, new Dictionary<string, long>(c.Counts, StringComparer.Ordinal)));
            default:
                throw new ArgumentException("Unknown profile type.", nameof(feature));
        }
    }

    private static FeatureProfile FromDocument(string name, FeatureProfileDocument d)
    {
        try
        {
            switch (d.Kind)
            {
                case "numeric" when d.Numeric is { } n:
                {
                    var binning = n.Binning is null ? null
                        : n.Binning.ByValue ? NumericBinning.ForValues(n.Binning.Points) : NumericBinning.ForEdges(n.Binning.Points);
                    var s = n.Sketch;
                    var sketch = QuantileSketch.FromBuckets(
                        s.RelativeAccuracy,
                        s.MaxBuckets,
                        s.Negative.Select(Pair),
                        s.Zero,
                        s.Positive.Select(Pair));
                    var distinct = n.Distinct?.Select(p => new KeyValuePair<double, long>(p[0], checked((long)p[1]))).ToList();
                    return NumericProfile.Restore(binning, n.BinCounts, n.Count, d.Missing, n.Min, n.Max, n.Mean, n.M2, n.SumAbs, distinct, sketch);
                }

                case "categorical" when d.Categorical is { } c:
                {
                    var profile = new CategoricalProfile(c.MaxCategories);
                    foreach (var (category, count) in c.Counts)
                        profile.AddCount(category, count);
                    profile.AddOther(c.Other);
                    profile.AddMissing(d.Missing);
                    return profile;
                }

                default:
                    throw new FormatException($"Feature '{name}': kind '{d.Kind}' without its section.");
            }
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or OverflowException or NullReferenceException)
        {
            throw new FormatException($"Feature '{name}': {e.Message}", e);
        }
    }

    private static (int Index, long Count) Pair(long[] pair) =>
        pair.Length == 2 ? (checked((int)pair[0]), pair[1]) : throw new FormatException("A sketch bucket is [index, count].");
}
