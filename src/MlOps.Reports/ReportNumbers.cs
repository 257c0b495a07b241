using System.Globalization;

namespace MlOps.Reports;

/// <summary>How a report writes numbers: short for people, round-trip exact in <c>data-</c> attributes for programs.</summary>
public static class ReportNumbers
{
    /// <summary>The exact value (parses back to the same double; what <c>--format json</c> prints).</summary>
    public static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A short form that never hides a tiny p-value as 0 (the table format of <c>mlops drift</c>).</summary>
    public static string Short(double value)
    {
        if (double.IsNaN(value))
            return "n/a";
        double a = Math.Abs(value);
        return a != 0 && (a < 1e-4 || a >= 1e6)
            ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.#####", CultureInfo.InvariantCulture);
    }

    /// <summary>A share as a percentage with one decimal.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    /// <summary>A count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
