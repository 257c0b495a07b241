using System.Globalization;

namespace MlOps.Testing;

/// <summary>Reads a host's Prometheus page (<c>/metrics</c>) in tests.</summary>
public static class MetricsPage
{
    /// <summary>Every <c>mlops_…_total</c> series of the host, joined by "; ": what it counted, for a failure message.</summary>
    public static string Counters(HttpClient host) => string.Join("; ",
        host.GetStringAsync(new Uri("/metrics", UriKind.Relative)).GetAwaiter().GetResult().Split('\n')
            .Where(l => l.StartsWith("mlops_", StringComparison.Ordinal) && l.Contains("_total", StringComparison.Ordinal)));

    /// <summary>The sum of the series of <paramref name="name"/> on a page (0 when it has none).</summary>
    public static double Sum(string page, string name) => page.Split('\n')
        .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal))
        .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
}
