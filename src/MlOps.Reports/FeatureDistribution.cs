namespace MlOps.Reports;

/// <summary>How a distribution is drawn.</summary>
public enum DistributionKind
{
    /// <summary>Numbers on bins (ordered, over the same edges on both sides): overlaid histograms.</summary>
    Histogram,

    /// <summary>Labels: side-by-side bars per category.</summary>
    Categories,
}

/// <summary>A feature's reference and current counts on the same bins or categories.</summary>
/// <param name="Kind">Histogram or categories.</param>
/// <param name="Bins">The bins, in drawing order.</param>
public sealed record FeatureDistribution(DistributionKind Kind, IReadOnlyList<DistributionBin> Bins)
{
    /// <summary>Values counted on the reference side (the denominator of its shares).</summary>
    public long ReferenceTotal { get; init; } = Bins.Sum(b => b.ReferenceCount);

    /// <summary>Values counted on the current side.</summary>
    public long CurrentTotal { get; init; } = Bins.Sum(b => b.CurrentCount);

    /// <summary>Categories of the current data that the reference never had (all of them, also those folded into "other").</summary>
    public IReadOnlyList<string> NewCategories { get; init; } = [];

    /// <summary>The share of a count in a side's total (0 when the side is empty).</summary>
    public static double Share(long count, long total) => total == 0 ? 0 : (double)count / total;
}

/// <summary>One bin or category: its label and the count on each side.</summary>
/// <param name="Label">What the bin holds, e.g. "[10, 20)", "gold", "&gt; 95".</param>
/// <param name="ReferenceCount">Reference values in the bin.</param>
/// <param name="CurrentCount">Current values in the bin.</param>
public sealed record DistributionBin(string Label, long ReferenceCount, long CurrentCount)
{
    /// <summary>A category the reference never had.</summary>
    public bool IsNew { get; init; }

    /// <summary>A bin for what lies outside the reference's range or categories (under/overflow, "other").</summary>
    public bool IsOutside { get; init; }

    /// <summary>The lower and upper edges of a range bin (null for a value, a category or an outside bin).</summary>
    public (double Lower, double Upper)? Edges { get; init; }
}
