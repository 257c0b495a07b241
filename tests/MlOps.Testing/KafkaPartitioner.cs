using System.Text;

namespace MlOps.Testing;

/// <summary>Where the Java client (and librdkafka's <c>murmur2_random</c>) puts a keyed record: for asserting co-partitioning.</summary>
public static class KafkaPartitioner
{
    /// <summary>Kafka's Java partitioner: murmur2 of the key's UTF-8 bytes, made positive, modulo the partition count.</summary>
    public static int Murmur2(string key, int partitions)
    {
        byte[] data = Encoding.UTF8.GetBytes(key);
        const uint m = 0x5bd1e995;
        const int r = 24;
        uint h = 0x9747b28c ^ (uint)data.Length;
        int length4 = data.Length / 4;
        for (int i = 0; i < length4; i++)
        {
            int i4 = i * 4;
            uint k = (uint)(data[i4] | data[i4 + 1] << 8 | data[i4 + 2] << 16 | data[i4 + 3] << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        int rest = data.Length % 4;
        int tail = data.Length & ~3;
        if (rest >= 3)
            h ^= (uint)data[tail + 2] << 16;
        if (rest >= 2)
            h ^= (uint)data[tail + 1] << 8;
        if (rest >= 1)
        {
            h ^= data[tail];
            h *= m;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)(h & 0x7fffffff) % partitions;
    }
}
