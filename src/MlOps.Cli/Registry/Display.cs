using System.Globalization;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary>How registry values read in tables: UTC times to the second, metrics as <c>name=value</c>.</summary>
internal static class Display
{
    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? time) => time is { } t ? Time(t) : "-";

    public static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join(", ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={Format.Number(m.Value)}"));

    public static string Bytes(long bytes) => bytes.ToString("N0", CultureInfo.InvariantCulture);

    public static string OrDash(string? text) => string.IsNullOrWhiteSpace(text) ? "-" : text;

    /// <summary>Writes <c>label:</c> lines with the values aligned.</summary>
    public static void Fields(TextWriter output, params (string Label, string Value)[] fields)
    {
        int width = fields.Max(f => f.Label.Length) + 2;
        foreach (var (label, value) in fields)
            output.WriteLine($"{(label + ":").PadRight(width)}{value}");
    }
}
