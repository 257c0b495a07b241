namespace MlOps.Statistics.Drift;

/// <summary>
/// Distances between two binned distributions given as proportions (each summing to 1) or counts:
/// PSI, Jensen–Shannon and Hellinger, with Evidently's and SciPy's conventions.
/// </summary>
public static class BinnedDivergence
{
    /// <summary>The proportion that replaces an empty bin in PSI, as Evidently does.</summary>
    public const double PsiFloor = 1e-4;

    /// <summary>
    /// Population stability index Σ (c − r)·ln(c / r) where empty bins count as <paramref name="floor"/>
    /// (Evidently's <c>feel_zeroes</c> with the default 1e-4).
    /// </summary>
    public static double Psi(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, double floor = PsiFloor)
    {
        RequireSameLength(reference, current);
        double psi = 0;
        for (int k = 0; k < reference.Length; k++)
        {
            double r = reference[k] == 0 ? floor : reference[k];
            double c = current[k] == 0 ? floor : current[k];
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    /// <summary>
    /// Jensen–Shannon distance as <c>scipy.spatial.distance.jensenshannon(p, q, base)</c>: both inputs are
    /// normalised to sum 1; natural log when <paramref name="logBase"/> is null.
    /// </summary>
    public static double JensenShannon(ReadOnlySpan<double> reference, ReadOnlySpan<double> current, double? logBase = null)
    {
        RequireSameLength(reference, current);
        double sumP = Sum(reference), sumQ = Sum(current);
        double js = 0;
        for (int k = 0; k < reference.Length; k++)
        {
            double p = reference[k] / sumP, q = current[k] / sumQ;
            double m = (p + q) / 2.0;
            js += RelativeEntropy(p, m) + RelativeEntropy(q, m);
        }

        if (logBase is { } b)
            js /= Math.Log(b);
        return Math.Sqrt(js / 2.0);
    }

    /// <summary>Hellinger distance √(Σ(√p − √q)²) / √2 on proportions.</summary>
    public static double Hellinger(ReadOnlySpan<double> reference, ReadOnlySpan<double> current)
    {
        RequireSameLength(reference, current);
        double sum = 0;
        for (int k = 0; k < reference.Length; k++)
        {
            double d = Math.Sqrt(reference[k]) - Math.Sqrt(current[k]);
            sum += d * d;
        }

        return Math.Sqrt(sum) / Math.Sqrt(2.0);
    }

    /// <summary>Counts divided by their total.</summary>
    public static double[] Proportions(ReadOnlySpan<long> counts)
    {
        long total = 0;
        foreach (long c in counts)
            total += c;
        var p = new double[counts.Length];
        if (total == 0)
            return p;
        for (int k = 0; k < counts.Length; k++)
            p[k] = (double)counts[k] / total;
        return p;
    }

    /// <summary>Runs one of the binned distances (PSI, Jensen–Shannon, Hellinger) on counts, with its verdict.</summary>
    public static DriftResult Test(DriftMethod method, ReadOnlySpan<long> referenceCounts, ReadOnlySpan<long> currentCounts, double? threshold = null)
    {
        double[] r = Proportions(referenceCounts), c = Proportions(currentCounts);
        double statistic = method switch
        {
            DriftMethod.Psi => Psi(r, c),
            DriftMethod.JensenShannon => JensenShannon(r, c),
            DriftMethod.Hellinger => Hellinger(r, c),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Not a binned distance."),
        };
        return DriftMethods.Result(method, statistic, null, threshold);
    }

    // scipy.special.rel_entr
    private static double RelativeEntropy(double x, double y)
    {
        if (x > 0 && y > 0)
            return x * Math.Log(x / y);
        return x == 0 && y >= 0 ? 0 : double.PositiveInfinity;
    }

    private static double Sum(ReadOnlySpan<double> values)
    {
        double s = 0;
        foreach (double v in values)
            s += v;
        return s;
    }

    private static void RequireSameLength(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException("Both distributions need the same bins.");
    }
}
