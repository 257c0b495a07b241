using Confluent.Kafka;
using Confluent.Kafka.Admin;
using MlOps.Contracts;

namespace MlOps.Kafka;

/// <summary>Creates the topics MlOps needs and checks that the ones it joins are co-partitioned.</summary>
public static class KafkaTopics
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The default topics: predictions, outcomes and the DLQ with <paramref name="partitions"/> each; model lifecycle with one, so serving apps see promotions in order.</summary>
    public static IReadOnlyList<TopicSpec> Defaults(int partitions, short replicationFactor = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(partitions, 1);
        return
        [
            new(Topics.Predictions, partitions, replicationFactor),
            new(Topics.Outcomes, partitions, replicationFactor),
            new(Topics.DeadLetter, partitions, replicationFactor),
            new(Topics.ModelLifecycle, 1, replicationFactor),
        ];
    }

    /// <summary>As <see cref="EnsureAsync(string, IReadOnlyCollection{TopicSpec}, IReadOnlyCollection{ValueTuple{string, string}}, CancellationToken)"/>, with the default predictions and outcomes topics co-partitioned.</summary>
    public static Task<IReadOnlyDictionary<string, int>> EnsureAsync(string bootstrapServers, IReadOnlyCollection<TopicSpec> topics, CancellationToken cancellationToken = default) =>
        EnsureAsync(bootstrapServers, topics, [(Topics.Predictions, Topics.Outcomes)], cancellationToken);

    /// <summary>
    /// Creates the topics in <paramref name="topics"/> that do not exist yet; existing ones are left as they are.
    /// Each pair in <paramref name="coPartitioned"/> must end up with equal partition counts — a prediction and its
    /// outcome, sharing a key, then land on the same partition number — else nothing is created and
    /// <see cref="TopicSetupException"/> says what to change. Returns the partition count of every topic asked for.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, int>> EnsureAsync(
        string bootstrapServers,
        IReadOnlyCollection<TopicSpec> topics,
        IReadOnlyCollection<(string First, string Second)> coPartitioned,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bootstrapServers);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(coPartitioned);
        var requested = Validate(topics);
        CheckCoPartitioned(coPartitioned, requested.ToDictionary(t => t.Key, t => t.Value.Partitions, StringComparer.Ordinal), "asked for");

        KafkaNativeLibrary.EnsureLoaded();
        using var admin = new AdminClientBuilder(new AdminClientConfig { BootstrapServers = bootstrapServers }).Build();
        var existing = await Task.Run(() => ReadPartitionCounts(admin, bootstrapServers), cancellationToken).ConfigureAwait(false);

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var missing = new List<TopicSpec>();
        foreach (var (name, spec) in requested)
        {
            if (existing.TryGetValue(name, out int partitions))
            {
                counts[name] = partitions;
            }
            else
            {
                counts[name] = spec.Partitions;
                missing.Add(spec);
            }
        }

        foreach (var (name, partitions) in existing)
            counts.TryAdd(name, partitions);
        CheckCoPartitioned(coPartitioned, counts, "would have");

        if (missing.Count > 0)
            await CreateAsync(admin, bootstrapServers, missing, cancellationToken).ConfigureAwait(false);
        return requested.Keys.ToDictionary(name => name, name => counts[name], StringComparer.Ordinal);
    }

    private static Dictionary<string, TopicSpec> Validate(IReadOnlyCollection<TopicSpec> topics)
    {
        var byName = new Dictionary<string, TopicSpec>(StringComparer.Ordinal);
        foreach (var topic in topics)
        {
            ArgumentNullException.ThrowIfNull(topic);
            if (string.IsNullOrWhiteSpace(topic.Name))
                throw new ArgumentException("a topic has no name", nameof(topics));
            if (topic.Partitions < 1 || topic.ReplicationFactor < 1)
                throw new ArgumentException($"topic '{topic.Name}': partitions and replication factor must be at least 1", nameof(topics));
            if (!byName.TryAdd(topic.Name, topic))
                throw new ArgumentException($"topic '{topic.Name}' is listed twice", nameof(topics));
        }

        return byName;
    }

    private static void CheckCoPartitioned(IReadOnlyCollection<(string First, string Second)> pairs, Dictionary<string, int> partitions, string verb)
    {
        foreach (var (first, second) in pairs)
        {
            if (partitions.TryGetValue(first, out int a) && partitions.TryGetValue(second, out int b) && a != b)
            {
                throw new TopicSetupException(
                    $"'{first}' and '{second}' must have the same number of partitions, so that a prediction and its outcome (same key) " +
                    $"land on the same partition number for the join; the cluster {verb} {a} and {b}. " +
                    $"Give both {Math.Max(a, b)} partitions (add partitions to the smaller, or recreate it).");
            }
        }
    }

    private static Dictionary<string, int> ReadPartitionCounts(IAdminClient admin, string bootstrapServers)
    {
        Metadata metadata;
        try
        {
            // All topics: asking for named ones would make some brokers (and the dev cluster) auto-create them with default partitions.
            metadata = admin.GetMetadata(Timeout);
        }
        catch (KafkaException e)
        {
            throw new TopicSetupException($"cannot read the topics of {bootstrapServers}: {e.Error.Reason}", e);
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var topic in metadata.Topics)
        {
            if (!topic.Error.IsError)
                counts[topic.Topic] = topic.Partitions.Count;
        }

        return counts;
    }

    private static async Task CreateAsync(IAdminClient admin, string bootstrapServers, List<TopicSpec> missing, CancellationToken cancellationToken)
    {
        var specifications = missing.Select(t => new TopicSpecification { Name = t.Name, NumPartitions = t.Partitions, ReplicationFactor = t.ReplicationFactor }).ToList();
        var names = string.Join(", ", missing.Select(t => t.Name));
        try
        {
            await admin.CreateTopicsAsync(specifications, new CreateTopicsOptions { RequestTimeout = Timeout, OperationTimeout = Timeout })
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CreateTopicsException e)
        {
            // Another instance may have created one in the meantime: that is success.
            var failed = e.Results.Where(r => r.Error.IsError && r.Error.Code != ErrorCode.TopicAlreadyExists).ToList();
            if (failed.Count > 0)
                throw new TopicSetupException($"cannot create {string.Join("; ", failed.Select(r => $"'{r.Topic}': {r.Error.Reason}"))}", e);
        }
        catch (KafkaException e)
        {
            throw new TopicSetupException(
                $"cannot create {names} on {bootstrapServers}: {e.Error.Reason} " +
                "(if that is the in-process dev cluster: it does not implement CreateTopics, create topics there with KafkaDevCluster.CreateTopic)", e);
        }
    }
}
