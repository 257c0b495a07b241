using System.CommandLine;
using System.Globalization;
using MlOps.Cli.Simulation;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Platform;
using MlOps.Contracts.Metrics;

namespace MlOps.Cli.Commands;

/// <summary><c>mlops up</c>, <c>mlops demo</c> and <c>mlops simulate</c>.</summary>
internal static class PlatformCommands
{
    public static Command Up(CliContext context)
    {
        var (data, port, brokers, partitions) = PlatformOptions();
        var command = new Command("up", "Run the whole platform in this process (Kafka-protocol cluster, registry, monitor, SQLite) until Ctrl+C") { data, port, brokers, partitions };
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            await using var platform = await EmbeddedPlatform.StartAsync(Options(parse, data, port, brokers, partitions), ct);
            PrintEndpoints(context.Out, platform, parse.GetValue(data)!);
            await Task.Delay(Timeout.Infinite, ct).ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Demo(CliContext context)
    {
        var (data, port, brokers, partitions) = PlatformOptions();
        var model = new Option<string>("--model") { Description = "Name of the demo model", DefaultValueFactory = _ => "churn-demo" };
        var rate = new Option<double>("--rate") { Description = "Predictions per second", DefaultValueFactory = _ => 200 };
        var window = new Option<double>("--window-minutes") { Description = "Window size of the demo model, in minutes", DefaultValueFactory = _ => 0.5 };
        var driftAfter = new Option<TimeSpan>("--drift-after") { Description = "When drift starts (e.g. 90s, 2m)", DefaultValueFactory = _ => TimeSpan.FromMinutes(1), CustomParser = r => ParseDuration(r.Tokens[0].Value) };
        var driftFeatures = new Option<string>("--drift-features") { Description = "Comma-separated features to drift (3 of the 5 is a dataset drift, which starts a retraining run)", DefaultValueFactory = _ => "age,plan,region" };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long (default: until Ctrl+C)", CustomParser = r => ParseDuration(r.Tokens[0].Value) };
        var command = new Command("demo", "Run the platform, register a sample model, stream synthetic traffic with drift, and show windows and alerts as they happen")
        {
            data, port, brokers, partitions, model, rate, window, driftAfter, driftFeatures, duration,
        };
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var features = ParseFeatures(parse.GetValue(driftFeatures) ?? "");
            await using var platform = await EmbeddedPlatform.StartAsync(Options(parse, data, port, brokers, partitions), ct);
            PrintEndpoints(context.Out, platform, parse.GetValue(data)!);
            string name = parse.GetValue(model)!;
            string version = await DemoModel.EnsureAsync(platform, name, parse.GetValue(window), ct);
            await platform.Get<IModelCatalog>().RefreshAllAsync(ct);
            context.Out.WriteLine($"model:     {name} (champion v{version}), drift on [{string.Join(", ", features)}] after {parse.GetValue(driftAfter)}");
            context.Out.WriteLine();
            var closer = platform.Get<WindowCloser>();
            var output = TextWriter.Synchronized(context.Out);
            closer.WindowClosed += r => output.WriteLine(Describe(r));
            var simulator = new Simulator(new SimulationOptions(platform.BootstrapServers!, name, version, parse.GetValue(rate), parse.GetValue(driftAfter), features, parse.GetValue(duration), TimeSpan.FromSeconds(5), 0.7), TimeProvider.System);
            simulator.DriftStarted += () => output.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} >>> drift injected on {string.Join(", ", features)}");
            var watcher = new RetrainingWatcher(platform.Get<MlOps.Storage.Database>(), platform.Get<MlOps.Storage.Retraining.RetrainingStore>(), name, platform.Url.TrimEnd('/'),
                Path.Combine(Path.GetFullPath(parse.GetValue(data)!), "approver.key"), output);
            using var stopWatching = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var watching = watcher.RunAsync(stopWatching.Token);
            try
            {
                await simulator.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: a requested stop. The platform checkpoints as it is disposed; exit 0.
            }

            await stopWatching.CancelAsync();
            await watching;
            return ExitCodes.Ok;
        }));
        return command;
    }

    public static Command Simulate(CliContext context)
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers (host:port,...)", Required = true };
        var model = new Option<string>("--model") { Description = "Model name put in the events", Required = true };
        var version = new Option<string>("--model-version") { Description = "Model version put in the events", DefaultValueFactory = _ => "1" };
        var rate = new Option<double>("--rate") { Description = "Predictions per second", DefaultValueFactory = _ => 100 };
        var driftAfter = new Option<TimeSpan>("--drift-after") { Description = "When drift starts (e.g. 00:02:00 or 2m)", DefaultValueFactory = _ => TimeSpan.FromMinutes(2), CustomParser = r => ParseDuration(r.Tokens[0].Value) };
        var driftFeatures = new Option<string>("--drift-features") { Description = "Comma-separated features to drift: " + string.Join(", ", ChurnGenerator.FeatureNames), DefaultValueFactory = _ => "" };
        var duration = new Option<TimeSpan?>("--duration") { Description = "Stop after this long (default: until Ctrl+C)", CustomParser = r => ParseDuration(r.Tokens[0].Value) };
        var outcomeDelay = new Option<TimeSpan>("--outcome-delay") { Description = "Delay of outcomes after their prediction", DefaultValueFactory = _ => TimeSpan.FromSeconds(5), CustomParser = r => ParseDuration(r.Tokens[0].Value) };
        var labelShare = new Option<double>("--label-share") { Description = "Share of predictions that get an outcome (0–1)", DefaultValueFactory = _ => 0.7 };
        var command = new Command("simulate", "Produce synthetic churn predictions and delayed outcomes to any Kafka, with drift after a delay")
        {
            bootstrap, model, version, rate, driftAfter, driftFeatures, duration, outcomeDelay, labelShare,
        };
        command.SetAction((parse, ct) => context.RunAsync(async () =>
        {
            var features = ParseFeatures(parse.GetValue(driftFeatures) ?? "");
            double share = parse.GetValue(labelShare);
            if (share is < 0 or > 1)
                throw new InputException("--label-share must be within [0, 1]");
            var simulator = new Simulator(new SimulationOptions(parse.GetRequiredValue(bootstrap), parse.GetRequiredValue(model), parse.GetValue(version)!, parse.GetValue(rate), parse.GetValue(driftAfter), features, parse.GetValue(duration), parse.GetValue(outcomeDelay), share), TimeProvider.System);
            simulator.DriftStarted += () => context.Out.WriteLine($"{DateTimeOffset.UtcNow:HH:mm:ss} drift on: {string.Join(", ", features)}");
            try
            {
                await simulator.RunAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: a requested stop; what was produced is flushed and counted below.
            }

            context.Out.WriteLine($"produced {simulator.Predictions} predictions and {simulator.Outcomes} outcomes");
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static string Describe(WindowResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var drifted = r.Features.Where(f => f.Drifted).Select(f => string.Create(c, $"{f.Name} ({f.Method} {f.Statistic:0.###})")).ToList();
        string performance = r.Performance.TryGetValue(MetricNames.RocAuc, out double auc) ? string.Create(c, $", roc_auc {auc:0.###}") : "";
        string verdict = drifted.Count == 0 ? "no drift" : $"DRIFT: {string.Join(", ", drifted)}";
        string alert = r.DatasetDrift ? "  <<< ALERT: dataset drift" : "";
        return string.Create(c, $"{r.WindowStart:HH:mm:ss}-{r.WindowEnd:HH:mm:ss} {r.Model} v{r.Version}: {r.Rows} predictions, {r.Labelled} labelled{performance}; {verdict}{alert}");
    }

    private static IReadOnlySet<string> ParseFeatures(string value)
    {
        var features = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var unknown = features.Where(f => !ChurnGenerator.FeatureNames.Contains(f)).ToList();
        if (unknown.Count > 0)
            throw new InputException($"--drift-features: unknown feature(s) {string.Join(", ", unknown)} (the simulated model has {string.Join(", ", ChurnGenerator.FeatureNames)})");
        return features;
    }

    internal static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        if (text.Length > 1 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out double n) && n >= 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(n);
                case 'm': return TimeSpan.FromMinutes(n);
                case 'h': return TimeSpan.FromHours(n);
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new InputException($"'{text}' is not a duration (e.g. 90s, 2m, 1h or 00:02:00)");
    }

    private static (Option<string> Data, Option<int> Port, Option<int> Brokers, Option<int> Partitions) PlatformOptions() =>
        (new Option<string>("--data") { Description = "Data folder (SQLite database, artifacts, API keys)", DefaultValueFactory = _ => ".mlops" },
         new Option<int>("--port") { Description = "HTTP port of the web page, API and /metrics (0: any free port)", DefaultValueFactory = _ => 5080 },
         new Option<int>("--brokers") { Description = "Brokers of the in-process Kafka-protocol cluster", DefaultValueFactory = _ => 1 },
         new Option<int>("--partitions") { Description = "Partitions of mlops.predictions and mlops.outcomes", DefaultValueFactory = _ => 3 });

    private static EmbeddedOptions Options(ParseResult parse, Option<string> data, Option<int> port, Option<int> brokers, Option<int> partitions)
    {
        int b = parse.GetValue(brokers), p = parse.GetValue(partitions), http = parse.GetValue(port);
        if (b is < 1 or > 9)
            throw new InputException("--brokers must be between 1 and 9");
        if (p is < 1 or > 128)
            throw new InputException("--partitions must be between 1 and 128");
        if (http is < 0 or > 65535)
            throw new InputException("--port must be between 0 and 65535");
        // up and demo print every alert; webhooks come from MLOPS__ALERTS__WEBHOOKS__N__URL / __SECRET / __KINDS__M.
        return new EmbeddedOptions(parse.GetValue(data)!, http, b, p) { Settings = new Dictionary<string, string?> { ["MlOps:Alerts:Console"] = "true" } };
    }

    private static void PrintEndpoints(TextWriter output, EmbeddedPlatform platform, string dataFolder)
    {
        string folder = Path.GetFullPath(dataFolder);
        output.WriteLine($"web/API:      {platform.Url}/");
        foreach (string role in EmbeddedPlatform.KeyRoles)
            output.WriteLine($"{role + " key:",-14}{Path.Combine(folder, role + ".key")}");
        output.WriteLine($"health:       {platform.Url}/health/ready");
        output.WriteLine($"metrics:      {platform.Url}/metrics");
        output.WriteLine($"ingest:       {platform.Url}/api/ingest/predictions, /api/ingest/outcomes (producer key)");
        // The in-process cluster listens on a new port at every start: apps and scripts read it from here (written
        // before it is printed, so whoever waits for the line finds the file).
        if (platform.BootstrapServers is { Length: > 0 } bootstrap)
            File.WriteAllText(Path.Combine(folder, "bootstrap"), bootstrap + "\n");
        output.WriteLine($"bootstrap:    {platform.BootstrapServers}");
    }
}
