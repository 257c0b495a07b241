namespace MlOps.Training;

/// <summary>Training or scoring cannot go on with this data or model; the message says why (meant for people).</summary>
public sealed class TrainingException : Exception
{
    /// <summary>Creates an exception without a message.</summary>
    public TrainingException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public TrainingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    public TrainingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
