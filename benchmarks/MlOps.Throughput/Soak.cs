using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using MlOps.Kafka;
using MlOps.Monitoring.Metrics;
using MlOps.Platform;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

/// <summary>
/// The join-state soak: N predictions, 70 % of their outcomes a little later, the other 30 % only after every
/// prediction (by then their windows are closed: they are joined through the store and folded in as late labels).
/// Reports resident memory after warm-up (start / end / max), whether every count is exact, the join state on disk,
/// and the monitor's rate against a bare consumer loop measured in the same run.
/// </summary>
internal static class Soak
{
    private const int OutcomeLag = 2_000;

    // The mock cluster keeps about 5 MiB per partition: the producer stays at most this far ahead of the monitor.
    private const int MaxAhead = 30_000;

    private const int BareRecords = 120_000;

    public static async Task<int> RunAsync(int predictions, int partitions, Func<string, string[], int, double> bareLoop, IReadOnlyDictionary<string, string?> settings)
    {
        using var cluster = KafkaDevCluster.Start(brokers: 1);
        foreach (string t in new[] { "soak.predictions", "soak.outcomes", "soak.dlq" })
            cluster.CreateTopic(t, partitions);
        // The baseline's topic has partitions enough to hold all of its records (~5 MiB each on the dev cluster).
        cluster.CreateTopic("bare.predictions", 12);

        // The baseline: a bare Confluent.Kafka loop over 120 000 of the same records.
        using (var producer = KafkaProducers.CreateReliable<string, byte[]>(cluster.BootstrapServers))
        {
            var start = DateTimeOffset.UtcNow.AddHours(-3);
            for (int i = 0; i < BareRecords; i++)
                ProduceWaiting(producer, "bare.predictions", new Message<string, byte[]> { Key = BenchModel.Id(i), Value = BenchModel.Prediction(i, start.AddMilliseconds(i)) });
            producer.Flush(TimeSpan.FromMinutes(2));
        }

        double bare = bareLoop(cluster.BootstrapServers, ["bare.predictions"], BareRecords);

        string data = Directory.CreateTempSubdirectory("mlops-soak-").FullName;
        try
        {
            var options = Options(data, cluster.BootstrapServers, "soak", partitions, settings);
            await using var platform = await BenchModel.StartPlatformAsync(options);
            var counted = MonitoringMetrics.Predictions.WithLabels(BenchModel.Name, BenchModel.Version);
            var joined = MonitoringMetrics.Outcomes.WithLabels(BenchModel.Name);
            double countedBefore = counted.Value, joinedBefore = joined.Value;

            var memory = new MemorySampler();
            var clock = Stopwatch.StartNew();
            var produce = Task.Run(() => Produce(cluster.BootstrapServers, predictions, () => counted.Value - countedBefore, () => joined.Value - joinedBefore, memory));
            using var sampling = new Timer(_ => memory.Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));
            var deadline = DateTime.UtcNow.AddHours(2);
            while ((counted.Value - countedBefore < predictions || joined.Value - joinedBefore < predictions) && DateTime.UtcNow < deadline && !produce.IsFaulted)
                await Task.Delay(200);
            await produce;
            clock.Stop();
            memory.Sample();
            memory.Mark("end");

            long countedTotal = (long)(counted.Value - countedBefore), joinedTotal = (long)(joined.Value - joinedBefore);
            double rate = 2.0 * predictions / clock.Elapsed.TotalSeconds;
            await using var c = await platform.Get<Database>().OpenAsync();
            var stats = await platform.Get<MonitorStateStore>().Join.StatsAsync(c, "soak");
            long dbBytes = Directory.EnumerateFiles(data, "*.db*").Sum(f => new FileInfo(f).Length);
            var ci = CultureInfo.InvariantCulture;
            Console.WriteLine(string.Create(ci, $"soak: {predictions:N0} predictions, {predictions:N0} outcomes (30 % sent after every prediction), {partitions} partitions, {clock.Elapsed.TotalSeconds:N0} s"));
            Console.WriteLine(string.Create(ci, $"counts: predictions counted {countedTotal:N0} ({(countedTotal == predictions ? "exact" : "NOT EXACT")}), outcomes joined {joinedTotal:N0} ({(joinedTotal == predictions ? "every one" : "NOT ALL")})"));
            Console.WriteLine(string.Create(ci, $"resident memory after warm-up (20 % of the predictions): start {memory.Start / 1e6:N0} MB, end {memory.End / 1e6:N0} MB, max {memory.Max / 1e6:N0} MB"));
            Console.WriteLine("memory as the predictions went out, and at the end (resident / managed heap / committed by the GC / anonymous resident): " + string.Join(", ", memory.Marks));
            Console.WriteLine(string.Create(ci, $"join state on disk: {stats.Sum(s => s.Rows):N0} rows, ~{stats.Sum(s => s.Bytes) / 1e6:N0} MB payload; database files {dbBytes / 1e6:N0} MB ({(double)dbBytes / Math.Max(1, stats.Sum(s => s.Rows)):N0} bytes per pending prediction, indexes included)"));
            Console.WriteLine(string.Create(ci, $"throughput: monitor {rate:N0} records/s (predictions + outcomes, producer paced to stay within the dev cluster's retention) = {rate / bare:P0} of the bare loop ({bare:N0} msg/s)"));
            return countedTotal == predictions && joinedTotal == predictions ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static void Produce(string bootstrap, int predictions, Func<double> counted, Func<double> joined, MemorySampler memory)
    {
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(bootstrap);
        var start = DateTimeOffset.UtcNow.AddHours(-3);
        // Event times spread over three hours, so windows close as the soak goes.
        double step = TimeSpan.FromHours(3).TotalMilliseconds / predictions;
        for (int i = 0; i < predictions; i++)
        {
            ProduceWaiting(producer, "soak.predictions", new Message<string, byte[]> { Key = BenchModel.Id(i), Value = BenchModel.Prediction(i, start.AddMilliseconds(i * step)) });
            int o = i - OutcomeLag;
            if (o >= 0 && o % 10 < 7)
                ProduceWaiting(producer, "soak.outcomes", new Message<string, byte[]> { Key = BenchModel.Id(o), Value = BenchModel.Outcome(o, start.AddMilliseconds(o * step + 60_000)) });
            if (i % 10_000 == 0)
            {
                Wait(() => i - counted() > MaxAhead);
                // Warm: the join caches of every partition are full (3 x 100 000 entries by default) well before this.
                if (i >= predictions / 5)
                    memory.WarmedUp();
            }

            if (predictions >= 10 && i % (predictions / 10) == 0)
                memory.Mark($"{100L * i / predictions} %");
        }

        for (int o = predictions - OutcomeLag; o < predictions; o++)
        {
            if (o % 10 < 7)
                ProduceWaiting(producer, "soak.outcomes", new Message<string, byte[]> { Key = BenchModel.Id(o), Value = BenchModel.Outcome(o, start.AddMilliseconds(o * step + 60_000)) });
        }

        // The late 30 %: every prediction is counted (and most windows are closed) before these are sent.
        producer.Flush(TimeSpan.FromMinutes(2));
        Wait(() => counted() < predictions);
        int sent = 0;
        for (int o = 0; o < predictions; o++)
        {
            if (o % 10 < 7)
                continue;
            ProduceWaiting(producer, "soak.outcomes", new Message<string, byte[]> { Key = BenchModel.Id(o), Value = BenchModel.Outcome(o, start.AddDays(1)) });
            if (++sent % 10_000 == 0)
                Wait(() => 0.7 * predictions + sent - joined() > MaxAhead);
        }

        producer.Flush(TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Produces, waiting while librdkafka's local queue is full (it holds <c>queue.buffering.max.messages</c>) instead
    /// of failing with <c>Local: Queue full</c>: the benchmark produces faster than one broker takes.
    /// </summary>
    public static void ProduceWaiting(IProducer<string, byte[]> producer, string topic, Message<string, byte[]> message)
    {
        while (true)
        {
            try
            {
                producer.Produce(topic, message);
                return;
            }
            catch (ProduceException<string, byte[]> e) when (e.Error.Code == ErrorCode.Local_QueueFull)
            {
                producer.Poll(TimeSpan.FromMilliseconds(50));
            }
        }
    }

    private static void Wait(Func<bool> behind)
    {
        while (behind())
            Thread.Sleep(20);
    }

    /// <summary>The embedded platform on an outside cluster, the monitor reading the <paramref name="prefix"/> topics.</summary>
    public static EmbeddedOptions Options(string data, string bootstrap, string prefix, int partitions, IReadOnlyDictionary<string, string?>? settings = null) =>
        new(data, Port: 0, Brokers: 1, Partitions: partitions)
        {
            BootstrapServers = bootstrap,
            ReadEnvironment = false,
            Settings = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
            {
                ["MlOps:Monitoring:ConsumerGroup"] = prefix,
                ["MlOps:Monitoring:PredictionsTopic"] = $"{prefix}.predictions",
                ["MlOps:Monitoring:OutcomesTopic"] = $"{prefix}.outcomes",
                ["MlOps:Monitoring:DeadLetterTopic"] = $"{prefix}.dlq",
            },
        };

    /// <summary>Resident set size of this process (monitor, registry, cluster and producer together).</summary>
    private sealed class MemorySampler
    {
        private readonly Lock _lock = new();
        private bool _warm;

        public long Start { get; private set; }

        public long End { get; private set; }

        public long Max { get; private set; }

        public List<string> Marks { get; } = [];

        public void Mark(string at)
        {
            using var self = Process.GetCurrentProcess();
            var gc = GC.GetGCMemoryInfo();
            lock (_lock)
                Marks.Add(string.Create(CultureInfo.InvariantCulture, $"{at} {self.WorkingSet64 / 1e6:N0}/{gc.HeapSizeBytes / 1e6:N0}/{gc.TotalCommittedBytes / 1e6:N0}/{NativeAnonymous() / 1e6:N0} MB"));
        }

        // Anonymous resident memory (heaps, managed and native), without mapped files: RssAnon on Linux, else 0.
        private static long NativeAnonymous()
        {
            if (!OperatingSystem.IsLinux())
                return 0;
            foreach (string line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(8).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture) * 1024;
            }

            return 0;
        }

        public void WarmedUp()
        {
            lock (_lock)
                _warm = true;
        }

        public void Sample()
        {
            using var self = Process.GetCurrentProcess();
            long rss = self.WorkingSet64;
            lock (_lock)
            {
                if (!_warm)
                    return;
                if (Start == 0)
                    Start = rss;
                End = rss;
                Max = Math.Max(Max, rss);
            }
        }
    }
}
