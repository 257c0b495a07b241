using System.CommandLine;
using System.Runtime.InteropServices;
using Confluent.Kafka;
using MlOps.Kafka;

namespace MlOps.Cli.Commands;

/// <summary>
/// <c>mlops dev-kafka</c>: an in-process Kafka-protocol cluster (librdkafka's mock) with the MlOps topics, up until
/// Ctrl+C. Any Kafka client on this machine can use it through the printed bootstrap servers.
/// </summary>
internal static class DevKafkaCommand
{
    private const int MaxBrokers = 16;
    private const int MaxPartitions = 256;

    public static Command Create(CliContext context)
    {
        var brokers = new Option<int>("--brokers") { Description = $"Number of brokers, ids 1..n (1–{MaxBrokers})", DefaultValueFactory = _ => 3 };
        brokers.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > MaxBrokers)
                r.AddError($"--brokers must be between 1 and {MaxBrokers}");
        });
        var partitions = new Option<int>("--partitions") { Description = $"Partitions of the predictions, outcomes and DLQ topics (1–{MaxPartitions})", DefaultValueFactory = _ => 6 };
        partitions.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > MaxPartitions)
                r.AddError($"--partitions must be between 1 and {MaxPartitions}");
        });

        var command = new Command("dev-kafka", "Run an in-process Kafka-protocol cluster with the MlOps topics until Ctrl+C") { brokers, partitions };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(brokers), parse.GetValue(partitions), context, cancellationToken));
        return command;
    }

    internal static async Task<int> RunAsync(int brokers, int partitions, CliContext context, CancellationToken cancellationToken)
    {
        // A script that started it in the background stops it with SIGTERM (background jobs ignore Ctrl+C's SIGINT).
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            await using var cluster = KafkaDevCluster.Start(brokers);
            // Replicas are bookkeeping in the mock, but they let clients see the metadata a real cluster would give.
            var topics = KafkaTopics.Defaults(partitions, (short)Math.Min(brokers, 3));
            foreach (var topic in topics)
                cluster.CreateTopic(topic.Name, topic.Partitions, topic.ReplicationFactor);

            // Read them back over the Kafka protocol, as clients will see them.
            var counts = await KafkaTopics.EnsureAsync(cluster.BootstrapServers, topics, stop.Token);
            await context.Out.WriteLineAsync($"bootstrap: {cluster.BootstrapServers}");
            foreach (var topic in topics)
                await context.Out.WriteLineAsync($"topic: {topic.Name} ({counts[topic.Name]} partitions)");
            await context.Out.FlushAsync(stop.Token);
            await context.Error.WriteLineAsync("mlops: dev-kafka is running; Ctrl+C stops it");

            await Task.Delay(Timeout.Infinite, stop.Token);
            return ExitCodes.Ok;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Ctrl+C or SIGTERM is how this command ends.
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is TopicSetupException or KafkaException or InvalidOperationException or DllNotFoundException)
        {
            await context.Error.WriteLineAsync($"mlops: error: dev-kafka: {e.Message}");
            return ExitCodes.BadInput;
        }
    }
}
