using System.Globalization;

namespace MlOps.Training.Search;

/// <summary>One point of the search space: a trainer and its hyper-parameter values by name.</summary>
internal sealed record Candidate(string Trainer, IReadOnlyDictionary<string, double> Values, int Seed)
{
    public const string SeedKey = "seed";

    /// <summary>An integer hyper-parameter.</summary>
    public int Int(string name) => (int)Values[name];

    /// <summary>A real hyper-parameter.</summary>
    public double Real(string name) => Values[name];

    /// <summary>The values as invariant-culture strings (shortest round-trip form), plus <see cref="SeedKey"/>.</summary>
    public IReadOnlyDictionary<string, string> Strings()
    {
        var strings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in Values)
            strings[name] = value.ToString("R", CultureInfo.InvariantCulture);
        strings[SeedKey] = Seed.ToString(CultureInfo.InvariantCulture);
        return strings;
    }
}
