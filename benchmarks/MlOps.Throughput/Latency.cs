using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using HdrHistogram;
using MlOps.Contracts.Monitoring;
using MlOps.Kafka;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

/// <summary>
/// Event → window result latency at a steady rate: predictions (and their outcomes) are produced live, stamped with
/// the wall clock, into 6-second windows with no allowed lateness; for every prediction whose window result has been
/// stored, the latency is the time from producing it to seeing its window's result in the store. So it includes
/// waiting for the window to end (up to one window), the watermark passing it, the checkpoint interval and the
/// closer's interval (2 s each by default): what a user waits between an event and the drift verdict that covers it.
/// </summary>
internal static class Latency
{
    private const double WindowMinutes = 0.1;

    public static async Task RunAsync(int partitions, int rate, TimeSpan duration)
    {
        using var cluster = KafkaDevCluster.Start(brokers: 1);
        foreach (string t in new[] { "latency.predictions", "latency.outcomes", "latency.dlq" })
            cluster.CreateTopic(t, partitions);
        string data = Directory.CreateTempSubdirectory("mlops-latency-").FullName;
        try
        {
            var options = Soak.Options(data, cluster.BootstrapServers, "latency", partitions);
            await using var platform = await BenchModel.StartPlatformAsync(options, new MonitoringConfig { WindowMinutes = WindowMinutes, AllowedLatenessMinutes = 0 });
            var database = platform.Get<Database>();
            var store = platform.Get<MonitorStateStore>();

            // Produce time (Stopwatch ticks) of every prediction, by window start.
            var produced = new Dictionary<long, List<long>>();
            long windowMs = (long)(WindowMinutes * 60_000);
            var histogram = new LongHistogram(TimeSpan.FromMinutes(10).Ticks / 10, 3);
            var seen = new HashSet<long>();
            using var stop = new CancellationTokenSource(duration);
            var producing = Task.Run(() => Produce(cluster.BootstrapServers, rate, windowMs, produced, stop.Token));
            long firstWindow = long.MaxValue;
            var drain = DateTime.UtcNow;
            while (!producing.IsCompleted || DateTime.UtcNow - drain < TimeSpan.FromSeconds(15))
            {
                if (!producing.IsCompleted)
                    drain = DateTime.UtcNow;
                await Task.Delay(20);
                await using var c = await database.OpenAsync();
                var rows = await store.ListResultsAsync(c, BenchModel.Name, 0, long.MaxValue);
                long now = Stopwatch.GetTimestamp();
                foreach (var row in rows.Where(r => seen.Add(r.WindowStart)))
                {
                    List<long>? times;
                    lock (produced)
                        produced.Remove(row.WindowStart, out times);
                    firstWindow = Math.Min(firstWindow, row.WindowStart);
                    foreach (long t in times ?? [])
                        histogram.RecordValue(Stopwatch.GetElapsedTime(t, now).Ticks / 10);
                }
            }

            await producing;
            // The first window started before the producer did: it is partial, its latencies are as real as the others'.
            var ci = CultureInfo.InvariantCulture;
            double Ms(double percentile) => histogram.GetValueAtPercentile(percentile) / 1000.0;
            Console.WriteLine(string.Create(ci,
                $"latency (event produced -> its window's result stored), {rate:N0} predictions/s + outcomes, {duration.TotalSeconds:N0} s, {WindowMinutes * 60:N0} s windows, {seen.Count} windows, {histogram.TotalCount:N0} predictions: p50 {Ms(50):N0} ms, p99 {Ms(99):N0} ms, max {histogram.GetMaxValue() / 1000.0:N0} ms"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    // Paced: event i goes out at i / rate seconds after the start, stamped with the wall clock.
    private static void Produce(string bootstrap, int rate, long windowMs, Dictionary<long, List<long>> produced, CancellationToken stop)
    {
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(bootstrap);
        var clock = Stopwatch.StartNew();
        for (int i = 0; !stop.IsCancellationRequested; i++)
        {
            var due = TimeSpan.FromSeconds((double)i / rate);
            while (clock.Elapsed < due)
                Thread.Sleep(1);
            var at = DateTimeOffset.UtcNow;
            long window = at.ToUnixTimeMilliseconds() / windowMs * windowMs;
            lock (produced)
            {
                if (!produced.TryGetValue(window, out var list))
                    produced[window] = list = [];
                list.Add(Stopwatch.GetTimestamp());
            }

            Soak.ProduceWaiting(producer, "latency.predictions", new Message<string, byte[]> { Key = BenchModel.Id(i), Value = BenchModel.Prediction(i, at) });
            Soak.ProduceWaiting(producer, "latency.outcomes", new Message<string, byte[]> { Key = BenchModel.Id(i), Value = BenchModel.Outcome(i, at.AddMilliseconds(1)) });
        }

        producer.Flush(TimeSpan.FromMinutes(1));
    }
}
