namespace MlOps.Contracts.Lifecycle;

/// <summary>A model was registered. Published on the bus so the monitor's catalog knows it before its first event.</summary>
public sealed record ModelRegistered
{
    /// <summary>The model.</summary>
    public required string Model { get; init; }

    /// <summary>Who registered it.</summary>
    public required string By { get; init; }

    /// <summary>When.</summary>
    public required DateTimeOffset Timestamp { get; init; }
}
