using System.Runtime.InteropServices;

namespace MlOps.Kafka;

/// <summary>
/// librdkafka's client-construction and mock-cluster entry points (<c>rdkafka.h</c>, <c>rdkafka_mock.h</c>), bound
/// to the library <see cref="KafkaNativeLibrary"/> chose. The mock API is experimental upstream: these signatures are
/// those of librdkafka 2.16.
/// </summary>
internal static unsafe partial class MockClusterNative
{
    /// <summary><c>RD_KAFKA_PRODUCER</c>: the mock cluster needs an owning client handle for its book-keeping.</summary>
    public const int ProducerType = 0;

    /// <summary><c>RD_KAFKA_CONF_OK</c>.</summary>
    public const int ConfOk = 0;

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_conf_new")]
    public static partial nint ConfNew();

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_conf_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ConfSet(nint conf, string name, string value, byte* errorText, nuint errorTextSize);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_conf_destroy")]
    public static partial void ConfDestroy(nint conf);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_new")]
    public static partial nint New(int type, nint conf, byte* errorText, nuint errorTextSize);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_destroy")]
    public static partial void Destroy(nint rk);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_cluster_new")]
    public static partial nint ClusterNew(nint rk, int brokerCount);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_cluster_destroy")]
    public static partial void ClusterDestroy(nint cluster);

    /// <summary>Returns a string owned by the cluster: copy it, never free it.</summary>
    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_cluster_bootstraps")]
    public static partial nint ClusterBootstraps(nint cluster);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_topic_create", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int TopicCreate(nint cluster, string topic, int partitionCount, int replicationFactor);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_partition_set_leader", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int PartitionSetLeader(nint cluster, string topic, int partition, int brokerId);

    /// <summary><paramref name="keyType"/> is <c>"group"</c> or <c>"transaction"</c>.</summary>
    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_coordinator_set", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int CoordinatorSet(nint cluster, string keyType, string key, int brokerId);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static partial int BrokerSetDown(nint cluster, int brokerId);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static partial int BrokerSetUp(nint cluster, int brokerId);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static partial int BrokerSetRtt(nint cluster, int brokerId, int rttMs);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static partial void PushRequestErrors(nint cluster, short apiKey, nuint count, int* errors);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static partial void ClearRequestErrors(nint cluster, short apiKey);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_start_request_tracking")]
    public static partial void StartRequestTracking(nint cluster);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_stop_request_tracking")]
    public static partial void StopRequestTracking(nint cluster);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_clear_requests")]
    public static partial void ClearRequests(nint cluster);

    /// <summary>Returns an array of <paramref name="count"/> request pointers, freed with <see cref="RequestDestroyArray"/>.</summary>
    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_get_requests")]
    public static partial nint* GetRequests(nint cluster, out nuint count);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_request_id")]
    public static partial int RequestBrokerId(nint request);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_request_api_key")]
    public static partial short RequestApiKey(nint request);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_request_destroy_array")]
    public static partial void RequestDestroyArray(nint* requests, nuint count);

    [LibraryImport(KafkaNativeLibrary.ImportName, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static partial void GroupInitialRebalanceDelay(nint cluster, int delayMs);
}
