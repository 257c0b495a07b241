namespace MlOps.Cli.Csv;

/// <summary>How a column is read.</summary>
internal enum ColumnType
{
    /// <summary>Numeric when every non-missing value parses as a number (invariant culture), else categorical.</summary>
    Infer,

    /// <summary>Numbers; text is an error.</summary>
    Numeric,

    /// <summary>Labels.</summary>
    Categorical,
}
