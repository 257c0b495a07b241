using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace MlOps.Statistics.Sorting;

/// <summary>
/// Sorts doubles by their bits: a least-significant-digit radix sort, several times faster than
/// <see cref="MemoryExtensions.Sort{T}(Span{T})"/> on large samples and giving the same ascending order.
/// </summary>
/// <remarks>
/// Each double is mapped to an unsigned key whose integer order is the numeric order (flip every bit of a
/// negative number, only the sign bit of a positive one), then the keys are sorted 11 bits at a time: six
/// stable counting passes, each skipped when every key has the same digit. The only difference to a
/// comparison sort is that −0.0 comes before +0.0, which compare equal (and which a comparison sort leaves in
/// an unspecified order). Samples with NaN, and small ones, are sorted with the comparison sort.
/// </remarks>
public static class RadixSort
{
    private const int DigitBits = 11;
    private const int Buckets = 1 << DigitBits;
    private const int Passes = (64 + DigitBits - 1) / DigitBits;

    /// <summary>Below this length the comparison sort is faster than clearing and summing the counts.</summary>
    internal const int MinimumLength = 1024;

    /// <summary>Sorts <paramref name="values"/> in ascending order, in place.</summary>
    /// <param name="values">The values; may hold NaN (then the comparison sort orders them, NaN first).</param>
    public static void Sort(Span<double> values)
    {
        if (values.Length < MinimumLength)
        {
            values.Sort();
            return;
        }

        ulong[] scratch = ArrayPool<ulong>.Shared.Rent(values.Length);
        int[] counts = ArrayPool<int>.Shared.Rent(Passes * Buckets);
        try
        {
            if (!TrySort(null, MemoryMarshal.Cast<double, ulong>(values), scratch.AsSpan(0, values.Length), counts.AsSpan(0, Passes * Buckets)))
                values.Sort();
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    /// <summary>
    /// Sorts the values of several buffers, together, into <paramref name="destination"/>: the first pass reads the
    /// buffers where they are, so gathering them costs no copy of its own.
    /// </summary>
    /// <param name="sources">The buffers; their lengths add up to the destination's.</param>
    /// <param name="destination">Receives the values in ascending order; must not overlap a source.</param>
    public static void Sort(IReadOnlyList<ReadOnlyMemory<double>> sources, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(sources);
        long total = 0;
        foreach (var source in sources)
            total += source.Length;
        if (total != destination.Length)
            throw new ArgumentException($"The sources hold {total} values, the destination {destination.Length}.", nameof(destination));

        if (destination.Length < MinimumLength)
        {
            Gather(sources, destination);
            destination.Sort();
            return;
        }

        ulong[] scratch = ArrayPool<ulong>.Shared.Rent(destination.Length);
        int[] counts = ArrayPool<int>.Shared.Rent(Passes * Buckets);
        try
        {
            if (!TrySort(sources, MemoryMarshal.Cast<double, ulong>(destination), scratch.AsSpan(0, destination.Length), counts.AsSpan(0, Passes * Buckets)))
            {
                Gather(sources, destination);
                destination.Sort();
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(counts);
            ArrayPool<ulong>.Shared.Return(scratch);
        }
    }

    /// <summary>The sort key of a double: unsigned integer order equals numeric order (−0.0 just below +0.0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Key(ulong bits) => bits ^ ((ulong)((long)bits >> 63) | 0x8000_0000_0000_0000UL);

    /// <summary>The bits of the double whose key is <paramref name="key"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Bits(ulong key) => key ^ ((ulong)((long)~key >> 63) | 0x8000_0000_0000_0000UL);

    private static void Gather(IReadOnlyList<ReadOnlyMemory<double>> sources, Span<double> destination)
    {
        int at = 0;
        foreach (var source in sources)
        {
            source.Span.CopyTo(destination[at..]);
            at += source.Length;
        }
    }

    /// <summary>
    /// Sorts the doubles of <paramref name="sources"/> into <paramref name="destination"/> (as bits), or, without
    /// sources, the destination in place; false (destination not written) when a value is NaN.
    /// </summary>
    /// <remarks>Its loops are optimised from the first call: a command sorts a few large columns, once.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool TrySort(IReadOnlyList<ReadOnlyMemory<double>>? sources, Span<ulong> destination, Span<ulong> scratch, Span<int> counts)
    {
        int n = destination.Length;
        counts.Clear();
        bool inPlace = sources is null;
        ulong firstKey = 0;
        if (inPlace)
        {
            if (!Count(destination, counts))
                return false;
            firstKey = Key(destination[0]);
        }
        else
        {
            for (int i = sources!.Count - 1; i >= 0; i--)
            {
                var source = MemoryMarshal.Cast<double, ulong>(sources[i].Span);
                if (source.IsEmpty)
                    continue;
                if (!Count(source, counts))
                    return false;
                firstKey = Key(source[0]);
            }
        }

        // The passes that sort something: a digit shared by every key leaves the order as it is.
        Span<int> active = stackalloc int[Passes];
        int passes = 0;
        for (int pass = 0; pass < Passes; pass++)
        {
            int digit = (int)(firstKey >> (pass * DigitBits)) & (Buckets - 1);
            if (counts[(pass * Buckets) + digit] != n)
                active[passes++] = pass;
        }

        if (passes == 0)
        {
            // Every value has the same bits.
            if (!inPlace)
                Gather(sources!, MemoryMarshal.Cast<ulong, double>(destination));
            return true;
        }

        // Bits go to keys on the first pass and back on the last, so no pass of its own does either. The buffers
        // alternate so that the last pass writes the destination; in place, the first pass cannot write it (it is
        // being read), so an odd number of passes ends in scratch and is copied back.
        bool endInDestination = !inPlace || passes % 2 == 0;
        Span<ulong> target = (passes % 2 == 1) == endInDestination ? destination : scratch;
        Span<ulong> other = target == destination ? scratch : destination;
        {
            int pass = active[0];
            var offsets = counts.Slice(pass * Buckets, Buckets);
            ExclusivePrefixSum(offsets);
            if (inPlace)
            {
                Scatter(destination, target, offsets, pass * DigitBits, fromBits: true, toBits: passes == 1);
            }
            else
            {
                foreach (var source in sources!)
                    Scatter(MemoryMarshal.Cast<double, ulong>(source.Span), target, offsets, pass * DigitBits, fromBits: true, toBits: passes == 1);
            }
        }

        for (int p = 1; p < passes; p++)
        {
            int pass = active[p];
            var offsets = counts.Slice(pass * Buckets, Buckets);
            ExclusivePrefixSum(offsets);
            Scatter(target, other, offsets, pass * DigitBits, fromBits: false, toBits: p == passes - 1);
            var swap = target;
            target = other;
            other = swap;
        }

        if (!Unsafe.AreSame(ref MemoryMarshal.GetReference(target), ref MemoryMarshal.GetReference(destination)))
            target.CopyTo(destination);
        return true;
    }

    /// <summary>Counts every digit of every key in one read; false when a value is NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static bool Count(ReadOnlySpan<ulong> values, Span<int> counts)
    {
        ref int c = ref MemoryMarshal.GetReference(counts);
        ref ulong v = ref MemoryMarshal.GetReference(values);
        ulong nan = 0;
        for (int i = 0; i < values.Length; i++)
        {
            ulong bits = Unsafe.Add(ref v, i);
            // NaN: exponent all ones and a non-zero fraction, i.e. the magnitude above +infinity's.
            nan |= (0x7FF0_0000_0000_0000UL - (bits & 0x7FFF_FFFF_FFFF_FFFFUL)) & 0x8000_0000_0000_0000UL;
            ulong key = Key(bits);
            Unsafe.Add(ref c, (int)(key & (Buckets - 1)))++;
            Unsafe.Add(ref c, Buckets + ((int)(key >> DigitBits) & (Buckets - 1)))++;
            Unsafe.Add(ref c, (2 * Buckets) + ((int)(key >> (2 * DigitBits)) & (Buckets - 1)))++;
            Unsafe.Add(ref c, (3 * Buckets) + ((int)(key >> (3 * DigitBits)) & (Buckets - 1)))++;
            Unsafe.Add(ref c, (4 * Buckets) + ((int)(key >> (4 * DigitBits)) & (Buckets - 1)))++;
            Unsafe.Add(ref c, (5 * Buckets) + (int)(key >> (5 * DigitBits)))++;
        }

        return nan == 0;
    }

    private static void ExclusivePrefixSum(Span<int> counts)
    {
        int sum = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            int count = counts[i];
            counts[i] = sum;
            sum += count;
        }
    }

    /// <summary>One stable counting pass on the digit at <paramref name="shift"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Scatter(ReadOnlySpan<ulong> source, Span<ulong> target, Span<int> offsets, int shift, bool fromBits, bool toBits)
    {
        ref ulong s = ref MemoryMarshal.GetReference(source);
        ref ulong t = ref MemoryMarshal.GetReference(target);
        ref int o = ref MemoryMarshal.GetReference(offsets);
        int n = source.Length;
        if (fromBits && toBits)
        {
            for (int i = 0; i < n; i++)
            {
                ulong bits = Unsafe.Add(ref s, i);
                int digit = (int)(Key(bits) >> shift) & (Buckets - 1);
                Unsafe.Add(ref t, Unsafe.Add(ref o, digit)++) = bits;
            }
        }
        else if (fromBits)
        {
            for (int i = 0; i < n; i++)
            {
                ulong key = Key(Unsafe.Add(ref s, i));
                int digit = (int)(key >> shift) & (Buckets - 1);
                Unsafe.Add(ref t, Unsafe.Add(ref o, digit)++) = key;
            }
        }
        else if (toBits)
        {
            for (int i = 0; i < n; i++)
            {
                ulong key = Unsafe.Add(ref s, i);
                int digit = (int)(key >> shift) & (Buckets - 1);
                Unsafe.Add(ref t, Unsafe.Add(ref o, digit)++) = Bits(key);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                ulong key = Unsafe.Add(ref s, i);
                int digit = (int)(key >> shift) & (Buckets - 1);
                Unsafe.Add(ref t, Unsafe.Add(ref o, digit)++) = key;
            }
        }
    }
}
