namespace MlOps.Kafka;

/// <summary>The cluster's topics cannot be read or created, or cannot serve MlOps as they are (predictions and outcomes not co-partitioned).</summary>
public sealed class TopicSetupException : Exception
{
    public TopicSetupException()
    {
    }

    public TopicSetupException(string message)
        : base(message)
    {
    }

    public TopicSetupException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
