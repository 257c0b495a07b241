using System.Globalization;

namespace MlOps.Cli.Output;

/// <summary>Number formatting for tables: short, invariant, and never hiding a tiny p-value as 0.</summary>
internal static class Format
{
    public static string Number(double value)
    {
        if (double.IsNaN(value))
            return "n/a";
        double a = Math.Abs(value);
        return a != 0 && (a < 1e-4 || a >= 1e6)
            ? value.ToString("0.###e+0", CultureInfo.InvariantCulture)
            : value.ToString("0.#####", CultureInfo.InvariantCulture);
    }
}
