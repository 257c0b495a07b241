namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// The fault suite (issue 13, part 3): each scenario on a rig of its own (<see cref="FaultRig"/>), ending with
/// <see cref="FaultVerdict.AssertExactAsync"/> — exact counts, no duplicate alert, recovery without a person.
/// <list type="bullet">
/// <item><see cref="KafkaFaultTests"/>: a broker leading partitions and coordinating the group down mid-stream; leaders
/// moving while records flow; Produce, Fetch and OffsetCommit answered with errors.</item>
/// <item><see cref="MonitorFaultTests"/>: a monitor crashing mid-stream and replaced; three monitors joining, leaving
/// and crashing.</item>
/// <item><see cref="PostgresFaultTests"/>: PostgreSQL stopped in the middle of a checkpoint; a checkpoint whose commit
/// answer is lost (<see cref="CommitAckCutter"/>). <see cref="SupervisorTests"/>: a stop while the consumer waits to
/// restart.</item>
/// <item><see cref="ScaleOutTests"/>: three instances in one group store the same window results as one.</item>
/// <item><see cref="RabbitMqFaultTests"/>: RabbitMQ restarting during a retraining saga.</item>
/// </list>
/// CI runs the short variant; <c>MLOPS_FAULTS_LONG=1</c> runs every scenario, bigger (<see cref="FaultScale"/>).
/// </summary>
internal static class FaultSuite;
