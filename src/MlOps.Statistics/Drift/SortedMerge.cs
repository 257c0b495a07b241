using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace MlOps.Statistics.Drift;

/// <summary>
/// One walk over two sorted samples that gives both the KS statistic and the Wasserstein distance, with SciPy's
/// floating-point steps: the empirical CDFs as count/n per side at every distinct pooled value, then their difference.
/// </summary>
/// <remarks>
/// The walk takes one value at a time without a branch on which side it comes from (a merge of two random samples
/// mispredicts that branch half the time). Only a value after which the pooled order moves on to a larger one ends a
/// step of the CDFs; elsewhere the difference is masked out of the KS maximum, and the Wasserstein term is |diff| times
/// the distance to the next value, which is zero there, so the sum is the one of the distinct values, in their order.
/// </remarks>
internal static class SortedMerge
{
    /// <summary>
    /// KS: sup |F_ref − F_cur| over the pooled values (SciPy's max(d+, d−): the difference is 0 after the last value, so
    /// the largest |difference| is the same number); Wasserstein: ∑ |F_ref − F_cur| (x_{k+1} − x_k) in increasing order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // one long loop per call: optimise it from the first
    public static (double Statistic, double Distance) Walk(ReadOnlySpan<double> sortedReference, ReadOnlySpan<double> sortedCurrent)
    {
        int n1 = sortedReference.Length, n2 = sortedCurrent.Length;
        if (n1 == 0 || n2 == 0)
            throw new ArgumentException("Both samples need at least one value.");

        // Vector128 registers for the selects and the maximum: scalar doubles would branch on them.
        var largest = Vector128<double>.Zero;
        double sum = 0;
        ref double r = ref MemoryMarshal.GetReference(sortedReference);
        ref double c = ref MemoryMarshal.GetReference(sortedCurrent);
        int i = 0, j = 0;
        double a = r, b = c; // the next value of each side

        // While both sides keep a value after this step, the heads after it can be read without a check.
        while (i < n1 - 1 && j < n2 - 1)
        {
            // The smaller head, of either side on a tie (the same number: a signed zero's sign changes no result).
            var x = Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b));
            int fromReference = a <= b ? 1 : 0;
            i += fromReference;
            j += 1 - fromReference;
            a = Unsafe.Add(ref r, i);
            b = Unsafe.Add(ref c, j);
            var next = Vector128.MinNative(Vector128.CreateScalarUnsafe(a), Vector128.CreateScalarUnsafe(b));
            // 0 unless x ends a step (finite values: a difference is 0 only between equal ones).
            var gap = next - x;
            var abs = Vector128.Abs(Vector128.CreateScalarUnsafe(((double)i / n1) - ((double)j / n2)));
            largest = Vector128.MaxNative(largest, abs & ~Vector128.Equals(gap, Vector128<double>.Zero));
            sum += (abs * gap).ToScalar();
        }

        // The rest, where a side can run out.
        while (i < n1 || j < n2)
        {
            double x = i < n1 && (j >= n2 || sortedReference[i] <= sortedCurrent[j]) ? sortedReference[i++] : sortedCurrent[j++];
            bool more = i < n1 || j < n2;
            double next = !more ? x : i < n1 && (j >= n2 || sortedReference[i] <= sortedCurrent[j]) ? sortedReference[i] : sortedCurrent[j];
            if (more && next == x)
                continue;
            double abs = Math.Abs(((double)i / n1) - ((double)j / n2));
            largest = Vector128.MaxNative(largest, Vector128.CreateScalarUnsafe(abs));
            if (more)
                sum += abs * (next - x);
        }

        return (largest.ToScalar(), sum);
    }
}
