using MlOps.Statistics.Drift;

namespace MlOps.Statistics.Profiles;

/// <summary>
/// A mergeable summary of one feature's values in one window or data set. Memory depends on bins, buckets and
/// categories, never on the number of values.
/// </summary>
public abstract class FeatureProfile
{
    /// <summary>Numeric or categorical.</summary>
    public abstract ColumnKind Kind { get; }

    /// <summary>Values present.</summary>
    public abstract long Count { get; }

    /// <summary>Values missing (null, empty or NaN).</summary>
    public abstract long Missing { get; }

    /// <summary>Rows seen: present plus missing.</summary>
    public long Rows => Count + Missing;

    /// <summary>Distinct present values, exact up to a small cap (numeric: <see cref="NumericProfile.DistinctCap"/>), else a lower bound.</summary>
    public abstract long DistinctCount { get; }

    /// <summary>Counts missing values.</summary>
    public abstract void AddMissing(long count = 1);

    /// <summary>Adds another profile of the same feature with the same bins (commutative and associative).</summary>
    public abstract void Merge(FeatureProfile other);

    /// <summary>An empty profile with the same bins and settings, for the next window.</summary>
    public abstract FeatureProfile CreateEmpty();

    /// <summary>A deep copy.</summary>
    public FeatureProfile Clone()
    {
        var copy = CreateEmpty();
        copy.Merge(this);
        return copy;
    }
}
