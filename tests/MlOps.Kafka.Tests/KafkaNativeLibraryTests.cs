using Confluent.Kafka;

namespace MlOps.Kafka.Tests;

[Collection(DevClusterCollection.Name)]
public sealed class KafkaNativeLibraryTests(KafkaClusterFixture fixture)
{
    [Fact]
    public void Confluent_Kafka_and_the_dev_cluster_share_one_librdkafka_the_glibc_only_build_on_linux_x64()
    {
        using var producer = new ProducerBuilder<Null, string>(new ProducerConfig { BootstrapServers = fixture.BootstrapServers }).Build();
        Assert.StartsWith("2.16.", Library.VersionString, StringComparison.Ordinal);
        if (!OperatingSystem.IsLinux())
            return;

        var mapped = File.ReadLines("/proc/self/maps")
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(fields => fields.Length >= 6 && fields[5].Contains("rdkafka", StringComparison.Ordinal))
            .Select(fields => fields[5])
            .Distinct()
            .ToList();
        var file = Assert.Single(mapped);
        Assert.Equal(KafkaNativeLibrary.LoadedPath, file);
        if (System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture == System.Runtime.InteropServices.Architecture.X64)
            Assert.EndsWith("centos8-librdkafka.so", file, StringComparison.Ordinal);
    }
}
