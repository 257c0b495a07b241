namespace MlOps.Kafka;

/// <summary>A topic MlOps needs: its name, and the partitions and replication it gets when created.</summary>
public sealed record TopicSpec(string Name, int Partitions, short ReplicationFactor = 1);
