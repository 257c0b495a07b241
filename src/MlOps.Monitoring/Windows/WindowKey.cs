namespace MlOps.Monitoring.Windows;

/// <summary>A tumbling event-time window of one model version: [Start, End) in Unix milliseconds.</summary>
public readonly record struct WindowKey(string Model, string Version, long Start, long End)
{
    /// <summary>The window of <paramref name="eventTime"/> for windows of <paramref name="size"/>, aligned to the Unix epoch.</summary>
    public static WindowKey For(string model, string version, DateTimeOffset eventTime, TimeSpan size)
    {
        long ms = (long)size.TotalMilliseconds;
        long t = eventTime.ToUnixTimeMilliseconds();
        long start = t - (((t % ms) + ms) % ms);
        return new WindowKey(model, version, start, start + ms);
    }

    public DateTimeOffset StartTime => DateTimeOffset.FromUnixTimeMilliseconds(Start);

    public DateTimeOffset EndTime => DateTimeOffset.FromUnixTimeMilliseconds(End);
}
