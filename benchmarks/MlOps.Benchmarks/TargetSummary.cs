using System.Globalization;
using BenchmarkDotNet.Reports;

namespace MlOps.Benchmarks;

/// <summary>
/// Prints the measured figures next to the performance targets after BenchmarkDotNet's own tables:
/// profile throughput as values/s/core (the benchmarks are single-threaded, so per invocation is per core)
/// and window evaluation in milliseconds.
/// </summary>
internal static class TargetSummary
{
    private const double ProfileTargetValuesPerSecond = 20e6;
    private const double WindowTargetMilliseconds = 5;

    public static void Print(IEnumerable<Summary> summaries, TextWriter output)
    {
        var lines = new List<string>();
        foreach (var summary in summaries)
        {
            foreach (var report in summary.Reports)
            {
                if (report.ResultStatistics is not { } statistics)
                    continue;
                var benchmark = report.BenchmarkCase;
                string name = benchmark.Descriptor.Type.Name + "." + benchmark.Descriptor.WorkloadMethod.Name;
                string parameters = benchmark.HasParameters ? " " + benchmark.Parameters.DisplayInfo : "";
                double nanoseconds = statistics.Mean; // per operation: OperationsPerInvoke is already divided out
                if (benchmark.Descriptor.Type == typeof(ProfileUpdateBenchmarks))
                {
                    double perSecond = 1e9 / nanoseconds;
                    lines.Add(Invariant($"{name}{parameters}: {perSecond / 1e6:F1} M values/s/core ({nanoseconds:F2} ns/value; target >= {ProfileTargetValuesPerSecond / 1e6:F0} M: {Verdict(perSecond >= ProfileTargetValuesPerSecond)})"));
                }
                else if (benchmark.Descriptor.Type == typeof(WindowEvaluationBenchmarks))
                {
                    double milliseconds = nanoseconds / 1e6;
                    lines.Add(Invariant($"{name}{parameters}: {milliseconds:F3} ms per 20-feature window (target <= {WindowTargetMilliseconds:F0} ms: {Verdict(milliseconds <= WindowTargetMilliseconds)})"));
                }
                else if (benchmark.Descriptor.OperationsPerInvoke > 1)
                {
                    lines.Add(Invariant($"{name}{parameters}: {nanoseconds:F2} ns per value ({1e3 / nanoseconds:F0} M values/s)"));
                }
                else
                {
                    lines.Add(Invariant($"{name}{parameters}: {nanoseconds / 1e6:F3} ms"));
                }
            }
        }

        if (lines.Count == 0)
            return;
        output.WriteLine();
        output.WriteLine("// * MlOps targets *");
        foreach (string line in lines)
            output.WriteLine(line);
    }

    private static string Verdict(bool met) => met ? "met" : "MISSED";

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
