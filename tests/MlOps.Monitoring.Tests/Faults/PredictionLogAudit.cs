using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// Reads the predictions topic of a scenario back and says, for a window whose count is off, where its predictions
/// are: how many distinct ids of the window the log holds, and how many of them sit behind an event of a later
/// window in their partition (those are late by design: a partition's own watermark passed their window). So a
/// wrong count names its cause: lost before Kafka, reordered in Kafka, or read and not counted by the monitor.
/// </summary>
internal static class PredictionLogAudit
{
    public static string Describe(FaultRig rig, string model, int window)
    {
        long start = rig.Stream.WindowStart(window).ToUnixTimeMilliseconds();
        long end = start + 60_000;
        using var consumer = new ConsumerBuilder<byte[], byte[]>(new ConsumerConfig
        {
            BootstrapServers = rig.Cluster.BootstrapServers,
            GroupId = $"{rig.Group}-audit-{Guid.NewGuid():N}",
            EnableAutoCommit = false,
            EnablePartitionEof = true,
        }).SetLogHandler((_, _) => { }).Build();
        consumer.Assign(Enumerable.Range(0, rig.Partitions).Select(p => new TopicPartitionOffset($"{rig.Group}.predictions", p, Offset.Beginning)));
        var inWindow = new HashSet<string>(StringComparer.Ordinal);
        var behindLater = new HashSet<string>(StringComparer.Ordinal);
        var highest = new Dictionary<int, long>();
        var perPartition = new Dictionary<int, int>();
        var atEnd = new HashSet<int>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (atEnd.Count < rig.Partitions && DateTime.UtcNow < deadline)
        {
            var record = consumer.Consume(TimeSpan.FromMilliseconds(200));
            if (record is null)
                continue;
            if (record.IsPartitionEOF)
            {
                atEnd.Add(record.Partition.Value);
                continue;
            }

            string id;
            long at;
            try
            {
                using var json = JsonDocument.Parse(record.Message.Value);
                if (json.RootElement.GetProperty("model").GetString() != model)
                    continue;
                id = json.RootElement.GetProperty("predictionId").GetString()!;
                at = json.RootElement.GetProperty("timestamp").GetDateTimeOffset().ToUnixTimeMilliseconds();
            }
            catch (JsonException)
            {
                continue;
            }

            int p = record.Partition.Value;
            long before = highest.GetValueOrDefault(p, long.MinValue);
            if (at >= start && at < end)
            {
                if (inWindow.Add(id))
                    perPartition[p] = perPartition.GetValueOrDefault(p) + 1;
                if (before >= end)
                    behindLater.Add(id);
            }

            highest[p] = Math.Max(before, at);
        }

        consumer.Close();
        return string.Create(CultureInfo.InvariantCulture,
            $"the predictions topic holds {inWindow.Count} distinct ids of {model} window {window} (per partition {string.Join(" ", perPartition.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}"))}), {behindLater.Count} of them after an event of a later window in their partition{(atEnd.Count < rig.Partitions ? " (read incomplete)" : "")}");
    }
}
