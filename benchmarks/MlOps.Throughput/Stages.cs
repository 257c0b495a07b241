using System.Diagnostics;
using System.Globalization;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Validation;
using MlOps.Monitoring;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Processing;
using MlOps.Registry.Models;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

/// <summary>
/// Where the monitor's time goes, per record, without Kafka: the stages a lane runs for one partition — validation,
/// the store lookups of a poll batch, applying records to the partition's state, building checkpoints and writing
/// them to SQLite — on the throughput benchmark's events (N predictions of the 20-feature model, each outcome 1 000
/// predictions later), in batches of 2 000 and a checkpoint every 10 000 records. The passes run one after another
/// on one thread, each on a fresh store; the last is reported (the earlier ones warm the JIT up). Times are the
/// thread's CPU time on Linux (getrusage), so other work on the machine does not inflate them; wall time elsewhere.
/// Bytes are what each stage allocates (the garbage collector's work, which runs on other threads in the monitor).
/// </summary>
internal static partial class Stages
{
    private const int Batch = 2_000;
    private const int CheckpointEvery = 10_000;
    private const int OutcomeLag = 1_000;

    public static async Task<int> RunAsync(int events, int passes)
    {
        using var csv = new MemoryStream(BenchModel.ReferenceCsv());
        var reference = await ReferenceProfileBuilder.BuildAsync(csv, BenchModel.Schema, CancellationToken.None);
        var model = new ModelContext(BenchModel.Schema, new MonitoringConfig(), BenchModel.Version, new Dictionary<string, VersionReference>
        {
            [BenchModel.Version] = new(reference, new Dictionary<string, double>()),
        });
        var catalog = new OneModelCatalog(model);
        var validator = new EventValidator(name => catalog.Find(name)?.Schema);

        var start = DateTimeOffset.UtcNow.AddHours(-1);
        double step = TimeSpan.FromMinutes(50).TotalMilliseconds / events;
        var records = new List<(bool Prediction, byte[] Value)>(2 * events);
        for (int i = 0; i < events + OutcomeLag; i++)
        {
            if (i < events)
                records.Add((true, BenchModel.Prediction(i, start.AddMilliseconds(i * step))));
            int o = i - OutcomeLag;
            if (o >= 0)
                records.Add((false, BenchModel.Outcome(o, start.AddMilliseconds(o * step + 1_000))));
        }

        Times times = default, bytes = default;
        for (int pass = 1; pass <= passes; pass++)
            (times, bytes) = await PassAsync(records, model, catalog, validator);

        var ci = CultureInfo.InvariantCulture;
        double n = records.Count;
        Console.WriteLine(string.Create(ci, $"stages, CPU time and bytes allocated per record (mean over {n:N0} records, pass {passes} of {passes}, one thread):"));
        foreach (var ((name, ticks), (_, allocated)) in times.All().Zip(bytes.All()))
            Console.WriteLine(string.Create(ci, $"  {name,-20} {ticks / 1e3 / n,7:F2} µs {allocated / n,8:N0} B"));
        double total = times.All().Sum(t => t.Ticks) / 1e3 / n;
        Console.WriteLine(string.Create(ci, $"  {"total",-20} {total,7:F2} µs {bytes.All().Sum(b => b.Ticks) / n,8:N0} B = {1e6 / total:N0} records/s on one core"));
        Console.WriteLine(string.Create(ci, $"  {"floor: JSON tokens",-20} {TokenWalk(records) / 1e3 / n,7:F2} µs (every token of every record read once, nothing kept: the least validation can cost)"));
        return 0;
    }

    private static async Task<(Times Cpu, Times Bytes)> PassAsync(List<(bool Prediction, byte[] Value)> records, ModelContext model, IModelCatalog catalog, EventValidator validator)
    {
        string data = Directory.CreateTempSubdirectory("mlops-stages-").FullName;
        try
        {
            await using var database = new Database(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(data, "monitor.db")}" });
            await database.MigrateAsync();
            var store = new MonitorStateStore();
            var options = new MonitoringOptions();
            var processor = new PartitionProcessor(options.ConsumerGroup, 0, catalog, options, store: new StoredJoinState(database, store.Join, options.ConsumerGroup));
            Times times = default, bytes = default;
            var predictions = new ValidationResult<MlOps.Contracts.Events.PredictionEvent>?[Batch];
            var outcomes = new ValidationResult<MlOps.Contracts.Events.OutcomeEvent>?[Batch];
            var ids = new List<string>(Batch);
            long offset = 0;
            for (int first = 0; first < records.Count; first += Batch)
            {
                int count = Math.Min(Batch, records.Count - first);
                ids.Clear();
                long t0 = Now(), b0 = Allocated();
                for (int i = 0; i < count; i++)
                {
                    var (isPrediction, value) = records[first + i];
                    predictions[i] = isPrediction ? validator.ValidatePrediction(value) : null;
                    outcomes[i] = isPrediction ? null : validator.ValidateOutcome(value);
                    ids.Add(predictions[i]?.Value?.PredictionId ?? outcomes[i]!.Value!.PredictionId);
                }

                long t1 = Now(), b1 = Allocated();
                processor.Prefetch(ids);
                long t2 = Now(), b2 = Allocated();
                for (int i = 0; i < count; i++)
                {
                    if (predictions[i] is { } p)
                        processor.OnPrediction(p.Value!, model, "predictions", offset++);
                    else
                        processor.OnOutcome(outcomes[i]!.Value!, model, "outcomes", offset++);
                }

                long t3 = Now(), b3 = Allocated();
                times.Validate += t1 - t0;
                times.Lookup += t2 - t1;
                times.Apply += t3 - t2;
                bytes.Validate += b1 - b0;
                bytes.Lookup += b2 - b1;
                bytes.Apply += b3 - b2;
                if (processor.RecordsSinceCheckpoint >= CheckpointEvery || first + count == records.Count)
                {
                    long c0 = Now(), d0 = Allocated();
                    var checkpoint = processor.CreateCheckpoint(DateTimeOffset.UtcNow);
                    long c1 = Now(), d1 = Allocated();
                    int expired = await database.InTransactionAsync((c, tx) => store.SaveCheckpointAsync(c, tx, checkpoint), replayable: true);
                    long c2 = Now(), d2 = Allocated();
                    processor.CheckpointCommitted(expired);
                    long c3 = Now(), d3 = Allocated();
                    times.CreateCheckpoint += c1 - c0 + (c3 - c2);
                    times.WriteCheckpoint += c2 - c1;
                    bytes.CreateCheckpoint += d1 - d0 + (d3 - d2);
                    bytes.WriteCheckpoint += d2 - d1;
                }
            }

            return (times, bytes);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    // CPU nanoseconds of one Utf8JsonReader pass over every record (the best of three).
    private static long TokenWalk(List<(bool Prediction, byte[] Value)> records)
    {
        long best = long.MaxValue, sink = 0;
        for (int pass = 0; pass < 3; pass++)
        {
            long t0 = Now();
            foreach (var (_, value) in records)
            {
                var reader = new System.Text.Json.Utf8JsonReader(value);
                while (reader.Read())
                    sink += reader.ValueSpan.Length;
            }

            best = Math.Min(best, Now() - t0);
        }

        GC.KeepAlive(sink);
        return best;
    }

    // Bytes allocated by the process so far (exact; the pass runs on one thread, nothing else allocates meanwhile).
    private static long Allocated() => GC.GetTotalAllocatedBytes(precise: true);

    // Nanoseconds of CPU time of this thread (Linux), else of wall time.
    private static long Now()
    {
        if (OperatingSystem.IsLinux() && GetRUsage(RUsageThread, out var usage) == 0)
            return ((usage.UserSeconds + usage.SystemSeconds) * 1_000_000 + usage.UserMicroseconds + usage.SystemMicroseconds) * 1_000;
        return (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
    }

    private const int RUsageThread = 1;

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "getrusage")]
    private static partial int GetRUsage(int who, out RUsage usage);

    // struct rusage on 64-bit Linux: two timevals, then 14 longs.
    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct RUsage
    {
        public long UserSeconds, UserMicroseconds, SystemSeconds, SystemMicroseconds;
        public long MaxRss, Ixrss, Idrss, Isrss, MinFlt, MajFlt, NSwap, InBlock, OuBlock, MsgSnd, MsgRcv, NSignals, NVcsw, NIvcsw;
    }

    private struct Times
    {
        public long Validate, Lookup, Apply, CreateCheckpoint, WriteCheckpoint;

        public readonly IEnumerable<(string Name, long Ticks)> All() =>
        [
            ("validate", Validate), ("store lookups", Lookup), ("apply", Apply),
            ("build checkpoint", CreateCheckpoint), ("write checkpoint", WriteCheckpoint),
        ];
    }

    private sealed class OneModelCatalog(ModelContext model) : IModelCatalog
    {
        public ModelContext? Find(string name) => name == model.Name ? model : null;

        public Task RefreshAsync(string name, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task RefreshAllAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
