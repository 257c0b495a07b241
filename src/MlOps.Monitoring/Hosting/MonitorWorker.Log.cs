using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace MlOps.Monitoring.Hosting;

// The consumer loop's log events (source-generated: no allocation when the level is off).
public sealed partial class MonitorWorker
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for the registry before consuming: {Reason}; next try in {Seconds:0.#} s")]
    private partial void LogWaitingForRegistry(string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Monitor consuming from {Bootstrap} as group {Group}")]
    private partial void LogStarted(string bootstrap, string group);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions assigned: {Partitions}")]
    private partial void LogAssigned(string partitions);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partitions revoked (checkpointed): {Partitions}")]
    private partial void LogRevoked(string partitions);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Kafka: {Code} {Reason}")]
    private partial void LogKafkaError(ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Consume failed: {Code} {Reason}")]
    private partial void LogConsumeError(Exception exception, ErrorCode code, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkpoint of partitions {Partitions} failed; the consumer starts again from the last committed checkpoint")]
    private partial void LogCheckpointFailed(Exception exception, string partitions);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer failed ({Reason}); it drops its partitions' state and starts again in {Seconds:0.###} s, from the last committed checkpoint")]
    private partial void LogRunFailed(Exception exception, string reason, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consumer failed while stopping; the next start resumes from the last committed checkpoint")]
    private partial void LogStopFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition {Partition}: moved the join state of {Entries} join-log entries (written by an earlier version) into the join tables")]
    private partial void LogJoinLogConverted(int partition, int entries);
}
