namespace MlOps.Monitoring.Processing;

/// <summary>What happened to one event.</summary>
public enum ProcessResult
{
    /// <summary>Counted in its window.</summary>
    Counted,

    /// <summary>An outcome joined its prediction and counted towards the window's performance.</summary>
    Joined,

    /// <summary>An outcome whose prediction has not arrived (yet): kept until it does or its TTL passes.</summary>
    Waiting,

    /// <summary>A predictionId seen before (a producer retry): not counted again.</summary>
    Duplicate,

    /// <summary>Its window was already closed on this partition: counted as too late, not in the window.</summary>
    TooLate,

    /// <summary>An outcome for a prediction whose window is already closed: counts in label coverage only.</summary>
    LateLabel,
}
