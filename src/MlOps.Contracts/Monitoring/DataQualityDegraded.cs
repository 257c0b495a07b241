namespace MlOps.Contracts.Monitoring;

/// <summary>A window's data quality crossed a limit: missing values, values outside the reference range, or new categories.</summary>
public sealed record DataQualityDegraded
{
    public required string Model { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>One line per problem, e.g. "income: missing share 0.31 > 0.2".</summary>
    public required IReadOnlyList<string> Problems { get; init; }
}
