using System.Text;

namespace MlOps.Client.Tests;

/// <summary>The Java client's default partitioner for keyed records: <c>toPositive(murmur2(keyBytes)) % numPartitions</c> (org.apache.kafka.common.utils.Utils).</summary>
public static class Murmur2
{
    public static int Partition(string key, int partitions) => (Hash(Encoding.UTF8.GetBytes(key)) & 0x7fffffff) % partitions;

    public static int Hash(byte[] data)
    {
        const uint seed = 0x9747b28c;
        const uint m = 0x5bd1e995;
        const int r = 24;
        int length = data.Length;
        uint h = seed ^ (uint)length;
        int quads = length / 4;
        for (int i = 0; i < quads; i++)
        {
            int i4 = i * 4;
            uint k = (uint)(data[i4] & 0xff) | ((uint)(data[i4 + 1] & 0xff) << 8) | ((uint)(data[i4 + 2] & 0xff) << 16) | ((uint)(data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        int tail = quads * 4;
        switch (length % 4)
        {
            case 3:
                h ^= (uint)(data[tail + 2] & 0xff) << 16;
                goto case 2;
            case 2:
                h ^= (uint)(data[tail + 1] & 0xff) << 8;
                goto case 1;
            case 1:
                h ^= (uint)(data[tail] & 0xff);
                h *= m;
                break;
        }

        h ^= h >> 13;
        h *= m;
        h ^= h >> 15;
        return (int)h;
    }
}
