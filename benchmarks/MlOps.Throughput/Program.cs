// End-to-end throughput of the monitor against a bare Confluent.Kafka consumer loop reading the same topic, on the
// same machine, in the same run (DESIGN target: monitor >= 80 % of the bare loop). Both read N prediction events from
// the in-process Kafka-protocol cluster; each rate is measured from its first record to its N-th.
//
//   dotnet run -c Release --project benchmarks/MlOps.Throughput -- [--events 200000] [--partitions 6] [--runs 3]
//   dotnet run -c Release --project benchmarks/MlOps.Throughput -- --soak [--predictions 10000000] [--partitions 3]
//
// --soak runs the join-state soak instead (see Soak.cs): memory, exact counts and late joins over N predictions.
//
// The mock cluster keeps about 5 MiB per partition: keep events x ~70 compressed bytes / partitions below that.
using System.Diagnostics;
using System.Globalization;
using Confluent.Kafka;
using MlOps.Contracts.Schemas;
using MlOps.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Platform;

if (args.Contains("--soak"))
    return await Soak.RunAsync(Arg("--predictions", 10_000_000), Arg("--partitions", 3), BareLoop, Register);

int events = Arg("--events", 200_000), partitions = Arg("--partitions", 6), runs = Arg("--runs", 3);
var results = new List<(double Bare, double Monitor)>();
for (int run = 1; run <= runs; run++)
{
    using var cluster = KafkaDevCluster.Start(brokers: 1);
    string prefix = $"bench{run}";
    foreach (string t in new[] { "predictions", "outcomes", "dlq" })
        cluster.CreateTopic($"{prefix}.{t}", partitions);
    Produce(cluster.BootstrapServers, $"{prefix}.predictions", events);
    double bare = BareLoop(cluster.BootstrapServers, $"{prefix}.predictions", events);
    double monitor = await MonitorRun(cluster.BootstrapServers, prefix, events);
    results.Add((bare, monitor));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"run {run}: bare loop {bare:N0} msg/s, monitor {monitor:N0} msg/s, ratio {monitor / bare:P0}"));
}

var median = results.OrderBy(r => r.Monitor / r.Bare).ElementAt(results.Count / 2);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"median: monitor {median.Monitor:N0} msg/s = {median.Monitor / median.Bare:P0} of the bare loop ({median.Bare:N0} msg/s); target >= 80 %"));
return 0;

static void Produce(string bootstrap, string topic, int count)
{
    using var producer = KafkaProducers.CreateReliable<string, byte[]>(bootstrap);
    var start = DateTimeOffset.UtcNow.AddMinutes(-30);
    for (int i = 0; i < count; i++)
        Soak.ProduceWaiting(producer, topic, new Message<string, byte[]> { Key = $"p-{i:D9}", Value = Soak.Prediction(i, start.AddMilliseconds(i)) });

    producer.Flush(TimeSpan.FromMinutes(2));
}

static double BareLoop(string bootstrap, string topic, int count)
{
    using var consumer = KafkaConsumers.CreateTuned<byte[], byte[]>(bootstrap, $"bare-{Guid.NewGuid():N}");
    consumer.Subscribe(topic);
    var clock = new Stopwatch();
    long bytes = 0;
    for (int seen = 0; seen < count;)
    {
        var record = consumer.Consume(TimeSpan.FromSeconds(30)) ?? throw new InvalidOperationException("The bare loop stalled.");
        if (seen++ == 0)
            clock.Start();
        bytes += record.Message.Value.Length;
    }

    clock.Stop();
    consumer.Close();
    return (count - 1) / clock.Elapsed.TotalSeconds;
}

static async Task<double> MonitorRun(string bootstrap, string prefix, int count)
{
    string data = Directory.CreateTempSubdirectory("mlops-throughput-").FullName;
    try
    {
        var options = new EmbeddedOptions(data, Port: 0, Brokers: 1, Partitions: 1)
        {
            BootstrapServers = bootstrap,
            ReadEnvironment = false,
            Settings = new Dictionary<string, string?>
            {
                ["MlOps:Monitoring:ConsumerGroup"] = prefix,
                ["MlOps:Monitoring:PredictionsTopic"] = $"{prefix}.predictions",
                ["MlOps:Monitoring:OutcomesTopic"] = $"{prefix}.outcomes",
                ["MlOps:Monitoring:DeadLetterTopic"] = $"{prefix}.dlq",
            },
        };
        // The model must exist before the monitor reads: register it with the registry alone, then start everything.
        await using (var registryOnly = await EmbeddedPlatform.StartAsync(options with { Services = [Services.Registry] }, CancellationToken.None))
            await Register(registryOnly);
        var counter = MlOps.Monitoring.Metrics.MonitoringMetrics.Predictions.WithLabels("churn", "1");
        double before = counter.Value;
        await using var platform = await EmbeddedPlatform.StartAsync(options, CancellationToken.None);
        var clock = new Stopwatch();
        var deadline = DateTime.UtcNow.AddMinutes(5);
        while (counter.Value - before < count)
        {
            if (!clock.IsRunning && counter.Value > before)
                clock.Start();
            if (DateTime.UtcNow > deadline)
                throw new InvalidOperationException($"The monitor counted {counter.Value - before} of {count}.");
            await Task.Delay(5);
        }

        clock.Stop();
        return (count - 1) / clock.Elapsed.TotalSeconds;
    }
    finally
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(data, recursive: true);
    }
}

static async Task Register(EmbeddedPlatform platform)
{
    var admin = platform.RegistryAs("admin");
    await admin.RegisterModelAsync(new RegisterModelRequest
    {
        Name = "churn",
        Schema = new ModelSchemaBody
        {
            Task = ModelTask.Binary,
            PositiveClass = "1",
            Features =
            [
                new FeatureSchema { Name = "age", Type = FeatureType.Numeric },
                new FeatureSchema { Name = "tenure_months", Type = FeatureType.Numeric },
                new FeatureSchema { Name = "income", Type = FeatureType.Numeric },
                new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
                new FeatureSchema { Name = "region", Type = FeatureType.Categorical },
            ],
        },
    });
    var random = new Random(2);
    var csv = new System.Text.StringBuilder("age,tenure_months,income,plan,region\n");
    for (int i = 0; i < 5000; i++)
        csv.Append(CultureInfo.InvariantCulture, $"{20 + 50 * random.NextDouble():F1},{random.Next(120)},{20_000 + 80_000 * random.NextDouble():F2},{(i % 3 == 0 ? "basic" : "gold")},{(i % 2 == 0 ? "eu" : "us")}\n");
    using var artifact = new MemoryStream([1]);
    using var reference = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(csv.ToString()));
    // The first version becomes champion at once (initialChampion: auto).
    await admin.RegisterVersionAsync("churn", new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
}

int Arg(string name, int fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int v) && v > 0 ? v : fallback;
}
