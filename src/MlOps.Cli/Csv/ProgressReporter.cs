using System.Diagnostics;

namespace MlOps.Cli.Csv;

/// <summary>
/// A progress line on standard error for reads that take longer than a second, shown only on a terminal
/// (never in pipes or logs). Several files may be read at once: the line shows the total.
/// </summary>
internal sealed class ProgressReporter
{
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private readonly TextWriter? _terminal;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<IProgressSource> _sources = [];
    private readonly Lock _lock = new();
    private TimeSpan _last;
    private bool _shown;

    public ProgressReporter(TextWriter? terminal) => _terminal = terminal;

    /// <summary>A reporter that shows nothing.</summary>
    public static ProgressReporter None { get; } = new(null);

    /// <summary>A reporter on standard error when it is a terminal.</summary>
    public static ProgressReporter ForConsole() => new(Console.IsErrorRedirected ? null : Console.Error);

    public Tracking Track(IProgressSource source)
    {
        lock (_lock)
            _sources.Add(source);
        return new Tracking(this, source);
    }

    /// <summary>Clears the progress line, if one was shown.</summary>
    public void Done()
    {
        lock (_lock)
        {
            if (_shown)
                _terminal!.Write("\r\u001b[2K");
            _shown = false;
        }
    }

    private void Report()
    {
        if (_terminal is null)
            return;
        var now = _clock.Elapsed;
        if (now < Delay || now - _last < Interval)
            return;
        lock (_lock)
        {
            _last = now;
            long read = 0, total = 0;
            foreach (var s in _sources)
            {
                read += s.Position;
                total += s.Length;
            }

            double share = total == 0 ? 1 : (double)read / total;
            _terminal.Write($"\r\u001b[2Kreading {_sources.Count} file(s): {share:P0} of {total / 1048576.0:F0} MiB, {now.TotalSeconds:F0} s");
            _shown = true;
        }
    }

    internal readonly struct Tracking(ProgressReporter owner, IProgressSource source) : IDisposable
    {
        public void Report() => owner.Report();

        public void Dispose()
        {
            lock (owner._lock)
                owner._sources.Remove(source);
        }
    }
}
