namespace MlOps.Client.Logging;

/// <summary>Which event a logger call or a notification is about.</summary>
public enum EventKind
{
    /// <summary>A prediction event (topic <c>mlops.predictions</c>).</summary>
    Prediction = 0,

    /// <summary>An outcome event (topic <c>mlops.outcomes</c>).</summary>
    Outcome,
}
