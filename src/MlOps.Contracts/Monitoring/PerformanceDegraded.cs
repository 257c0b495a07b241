namespace MlOps.Contracts.Monitoring;

/// <summary>A model's realised performance in a window fell below the reference (its champion version's training metric) by more than the tolerance.</summary>
public sealed record PerformanceDegraded
{
    public required string Model { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset WindowStart { get; init; }

    public required DateTimeOffset WindowEnd { get; init; }

    /// <summary>The metric (e.g. roc_auc, rmse).</summary>
    public required string Metric { get; init; }

    /// <summary>The value on the window's labelled predictions.</summary>
    public required double Value { get; init; }

    /// <summary>The value it is compared with.</summary>
    public required double Baseline { get; init; }

    /// <summary>Labelled predictions behind <see cref="Value"/>.</summary>
    public required long LabelledRows { get; init; }
}
