using System.Globalization;

namespace MlOps.Cli.Registry;

/// <summary>Parses <c>--metrics f1=0.8,roc_auc=0.9</c> and <c>--tag key=value</c> (each option may be repeated).</summary>
internal static class KeyValues
{
    public static Dictionary<string, double>? Metrics(IEnumerable<string>? values, string option)
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (string value in values ?? [])
        {
            foreach (string pair in value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var (name, text) = Split(pair, option, "name=number");
                if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
                    throw new InputException($"{option}: '{text}' (for {name}) is not a number");
                if (!metrics.TryAdd(name, number))
                    throw new InputException($"{option}: '{name}' is given twice");
            }
        }

        return metrics.Count == 0 ? null : metrics;
    }

    public static Dictionary<string, string>? Tags(IEnumerable<string>? values, string option)
    {
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string value in values ?? [])
        {
            var (key, text) = Split(value, option, "key=value");
            if (!tags.TryAdd(key, text))
                throw new InputException($"{option}: '{key}' is given twice");
        }

        return tags.Count == 0 ? null : tags;
    }

    private static (string Key, string Value) Split(string pair, string option, string form)
    {
        int equals = pair.IndexOf('=', StringComparison.Ordinal);
        string key = equals < 0 ? "" : pair[..equals].Trim();
        if (key.Length == 0)
            throw new InputException($"{option}: '{pair}' is not {form}");
        return (key, pair[(equals + 1)..].Trim());
    }
}
