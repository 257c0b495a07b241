using System.Diagnostics;
using System.Globalization;

namespace MlOps.Cli.Diagnostics;

/// <summary>
/// Where a command's time goes, on standard error when <c>MLOPS_TRACE=1</c>: each mark prints the time since the
/// process started (so runtime start-up shows too) and since the previous mark; <see cref="Add"/> sums work done on
/// several threads (sorting, p-values) under a name, printed by <see cref="Totals"/>. Off, every call is a field test.
/// </summary>
internal static class PhaseTrace
{
    private static readonly bool On = Environment.GetEnvironmentVariable("MLOPS_TRACE") is { Length: > 0 } v && v != "0";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (long Ticks, int Count)> Sums = [];
    private static double _lastMs;

    public static bool Enabled => On;

    /// <summary>A timestamp for <see cref="Add"/>; 0 when tracing is off.</summary>
    public static long Start() => On ? Stopwatch.GetTimestamp() : 0;

    /// <summary>Adds the time since <paramref name="started"/> to the sum called <paramref name="name"/>.</summary>
    public static void Add(string name, long started)
    {
        if (!On)
            return;
        long elapsed = Stopwatch.GetTimestamp() - started;
        lock (Gate)
        {
            var (ticks, count) = Sums.GetValueOrDefault(name);
            Sums[name] = (ticks + elapsed, count + 1);
        }
    }

    /// <summary>Prints the time since process start and since the previous mark.</summary>
    public static void Mark(string phase)
    {
        if (!On)
            return;
        double now = (DateTime.Now - Process.GetCurrentProcess().StartTime).TotalMilliseconds;
        lock (Gate)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlops trace: {now,8:F1} ms  +{now - _lastMs,7:F1} ms  {phase}"));
            _lastMs = now;
        }
    }

    /// <summary>Prints the sums of <see cref="Add"/> (thread time, so on several cores they add up to more than the wall time).</summary>
    public static void Totals()
    {
        if (!On)
            return;
        lock (Gate)
        {
            foreach (var (name, (ticks, count)) in Sums.OrderBy(s => s.Key, StringComparer.Ordinal))
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mlops trace: {Stopwatch.GetElapsedTime(0, ticks).TotalMilliseconds,8:F1} ms thread time in {count} x {name}"));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"mlops trace: GC {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)} (gen 0/1/2), {GC.GetTotalPauseDuration().TotalMilliseconds:F1} ms paused, {GC.GetTotalAllocatedBytes() >> 20} MiB allocated; JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods in {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:F1} ms"));
        }
    }
}
