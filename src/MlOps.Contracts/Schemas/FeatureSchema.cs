namespace MlOps.Contracts.Schemas;

/// <summary>One declared model input; events may carry only declared features.</summary>
public sealed record FeatureSchema
{
    /// <summary>Feature name as it appears in the event's <c>features</c> object (case-sensitive).</summary>
    public required string Name { get; init; }

    /// <summary>Kind of values, which fixes the accepted JSON type.</summary>
    public required FeatureType Type { get; init; }

    /// <summary>
    /// When <see langword="true"/> an event without this feature (or with <c>null</c>) is rejected. Defaults to
    /// <see langword="false"/>: a missing optional value is counted by data-quality metrics instead of dropping the record.
    /// </summary>
    public bool Required { get; init; }
}
