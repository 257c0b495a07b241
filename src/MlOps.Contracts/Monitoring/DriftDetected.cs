namespace MlOps.Contracts.Monitoring;

/// <summary>A closed window of a model drifted against the champion's reference (dataset drift, or any feature when configured).</summary>
public sealed record DriftDetected
{
    public required string Model { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>Share of features that drifted (0–1).</summary>
    public required double DriftedShare { get; init; }

    /// <summary>The drifted features.</summary>
    public required IReadOnlyList<string> DriftedFeatures { get; init; }

    /// <summary>Predictions in the window.</summary>
    public required long Rows { get; init; }
}
