namespace MlOps.Statistics.Drift;

/// <summary>How a column's values are compared: as numbers or as labels.</summary>
public enum ColumnKind
{
    /// <summary>Numbers.</summary>
    Numeric,

    /// <summary>Labels, booleans included.</summary>
    Categorical,
}
