using System.Globalization;
using System.Text;

/// <summary>
/// CPU time of this process's threads between two snapshots, by thread name (Linux: /proc/self/task/*/stat), as
/// cores kept busy: it tells a stage that waits from one that computes. Threads are grouped by name with digits
/// dropped ("mlops-monitor-lane-0" and "-1" are one group, shown with how many threads it had).
/// </summary>
internal sealed class ThreadCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on every Linux this runs on

    private readonly Dictionary<int, (string Name, long Ticks)> _start = Read();
    private readonly DateTime _started = DateTime.UtcNow;

    /// <summary>One line per busy group, busiest first: "name ×threads: cores".</summary>
    public string Report(double minimumCores = 0.02)
    {
        double seconds = (DateTime.UtcNow - _started).TotalSeconds;
        var groups = new Dictionary<string, (int Threads, long Ticks)>();
        foreach (var (tid, (name, ticks)) in Read())
        {
            long used = ticks - (_start.TryGetValue(tid, out var s) && s.Name == name ? s.Ticks : 0);
            string key = Group(name);
            var g = groups.GetValueOrDefault(key);
            groups[key] = (g.Threads + (used > 0 ? 1 : 0), g.Ticks + used);
        }

        var text = new StringBuilder();
        double total = 0;
        foreach (var (name, (threads, ticks)) in groups.OrderByDescending(g => g.Value.Ticks))
        {
            double cores = ticks / TicksPerSecond / seconds;
            total += cores;
            if (cores >= minimumCores)
                text.Append(CultureInfo.InvariantCulture, $"  {name} x{threads}: {cores:N2} cores\n");
        }

        return string.Create(CultureInfo.InvariantCulture, $"  threads over {seconds:N1} s, {total:N2} cores in all (of {Environment.ProcessorCount}):\n") + text;
    }

    private static string Group(string name)
    {
        var b = new StringBuilder(name.Length);
        foreach (char c in name)
            b.Append(char.IsAsciiDigit(c) ? '#' : c);
        return b.ToString();
    }

    // tid -> (comm, utime + stime) of each live thread; a thread that ended meanwhile is left out.
    private static Dictionary<int, (string, long)> Read()
    {
        var threads = new Dictionary<int, (string, long)>();
        foreach (string dir in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                int open = stat.IndexOf('(', StringComparison.Ordinal), close = stat.LastIndexOf(')');
                string[] rest = stat[(close + 2)..].Split(' ');
                // After "(comm) ": state is field 3 of stat(5); utime and stime are fields 14 and 15.
                long ticks = long.Parse(rest[11], CultureInfo.InvariantCulture) + long.Parse(rest[12], CultureInfo.InvariantCulture);
                threads[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (stat[(open + 1)..close], ticks);
            }
            catch (IOException)
            {
            }
        }

        return threads;
    }
}
