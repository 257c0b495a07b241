using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Kafka;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Metrics;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Traffic that gives every dashboard panel something to show, in two steps: a window profiled before the model had a
/// reference (stored not evaluated), then a normal and a drifted labelled window (drift, metrics, coverage, label
/// delay, a DriftDetected that raises alerts and a retraining run the policy skips), with duplicates, a late event
/// and rejected records. Event time is ten minutes ahead of the clock, so idle partitions (whose watermark follows
/// the clock) never make these events late while the test waits; only the events themselves close windows.
/// </summary>
internal sealed class DashboardTraffic(TestPlatform platform, string model) : IDisposable
{
    private readonly DateTimeOffset _start = Minute(DateTimeOffset.UtcNow).AddMinutes(10);
    private readonly Random _random = new(7);
    private readonly IProducer<string, byte[]> _producer = KafkaProducers.CreateReliable<string, byte[]>(platform.Platform.BootstrapServers!);

    /// <summary>
    /// Registers the model without a version and streams a window of version 1 before version 1 exists: it is
    /// profiled without a reference and stored not evaluated. Some of it is labelled, one record is mistyped and one
    /// repeated, so the series of outcomes, label delay, rejections and duplicates exist before the later traffic.
    /// </summary>
    public async Task ProduceWindowWithoutReferenceAsync()
    {
        await platform.Platform.RegistryAs("admin").RegisterModelAsync(new RegisterModelRequest
        {
            Name = model,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Classes = ["0", "1"],
                Features = [new FeatureSchema { Name = "age", Type = FeatureType.Numeric }, new FeatureSchema { Name = "plan", Type = FeatureType.Categorical }],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 1, AllowedLatenessMinutes = 0 },
            // Far more labels than the test makes: the drift's retraining run ends Skipped (min_labelled_rows) at once.
            Retraining = new RetrainingPolicy { MinLabelledRows = 1_000_000 },
        });

        var outcomes = Produce(_start, 200, "a", shifted: false, labelledEvery: 4);
        _producer.Produce("mlops.predictions", Prediction("a-0", _start, 40, "basic"));
        _producer.Produce("mlops.predictions", Mistyped("bad-a", _start));
        _producer.Flush(TimeSpan.FromSeconds(30));
        var counted = MonitoringMetrics.Predictions.WithLabels(model, "1");
        await Eventually.HoldsAsync(() => counted.Value >= 200, "the monitor counted the window profiled before any reference");
        // Only an outcome that comes after its prediction is observed in mlops_label_delay_seconds (one that comes
        // first is joined when the prediction arrives, without a delay observation): send these once all are counted.
        Send(outcomes);
        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Registers version 1 with a reference (champion at once), then a normal and a drifted labelled window and enough
    /// events on every partition to close both, a producer retry, an event for a window already final, a mistyped
    /// record and one that is not JSON.
    /// </summary>
    public async Task ProduceReferencedWindowsAsync()
    {
        using (var artifact = new MemoryStream([1, 2, 3]))
        using (var reference = new MemoryStream(Encoding.UTF8.GetBytes(ReferenceCsv())))
            await platform.Platform.RegistryAs("admin").RegisterVersionAsync(model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
        var catalog = platform.Get<IModelCatalog>();
        await Eventually.HoldsAsync(() => catalog.Find(model) is { ChampionVersion: "1" } m && m.ReferenceProfile("1") is not null,
            "the monitor's catalog has version 1 as champion with its reference");

        Send(Produce(_start.AddMinutes(2), 300, "b", shifted: false, labelledEvery: 1));
        Send(Produce(_start.AddMinutes(3), 300, "c", shifted: true, labelledEvery: 1));
        Produce(_start.AddMinutes(4), 60, "close", shifted: true, labelledEvery: 0);
        _producer.Produce("mlops.predictions", Prediction("b-0", _start.AddMinutes(2), 40, "basic"));
        _producer.Produce("mlops.predictions", Prediction("late-0", _start.AddMinutes(2).AddSeconds(30), 40, "basic"));
        _producer.Produce("mlops.predictions", Mistyped("bad-b", _start.AddMinutes(4)));
        _producer.Produce("mlops.predictions", Record("bad-json", "{not json"));
        _producer.Flush(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _producer.Dispose();

    /// <summary>Waits until the drifted window's retraining run ended Skipped.</summary>
    public async Task WaitForSkippedRunAsync()
    {
        using var http = new HttpClient { BaseAddress = platform.BaseUrl };
        http.DefaultRequestHeaders.Add("X-Api-Key", platform.Platform.Keys["viewer"]);
        await Eventually.HoldsAsync(async () =>
        {
            var runs = await http.GetFromJsonAsync<JsonElement>(new Uri($"api/retraining?model={model}", UriKind.Relative));
            return runs.EnumerateArray().Any(r => r.GetProperty("state").GetString() == "Skipped");
        }, "the drift started a retraining run that the policy skipped", TimeSpan.FromSeconds(60));
    }

    // Produces the predictions; returns the outcomes of every labelledEvery-th one (0: none), for the caller to send.
    private List<Message<string, byte[]>> Produce(DateTimeOffset at, int count, string idPrefix, bool shifted, int labelledEvery)
    {
        var outcomes = new List<Message<string, byte[]>>();
        for (int i = 0; i < count; i++)
        {
            double age = 40 + 10 * (_random.NextDouble() - 0.5) + (shifted ? 25 : 0);
            string plan = _random.NextDouble() < (shifted ? 0.2 : 0.7) ? "basic" : "gold";
            string id = $"{idPrefix}-{i}";
            var time = at.AddMilliseconds(i * 100);
            _producer.Produce("mlops.predictions", Prediction(id, time, age, plan));
            if (labelledEvery > 0 && i % labelledEvery == 0)
            {
                // Labels arrive 30 s (event time) after the prediction: the label delay histogram's 60 s bucket.
                string outcome = string.Create(CultureInfo.InvariantCulture,
                    $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","timestamp":"{{time.AddSeconds(30):O}}","actual":"{{(_random.NextDouble() < Churn(age, plan) ? 1 : 0)}}"}""");
                outcomes.Add(Record(id, outcome));
            }
        }

        return outcomes;
    }

    private void Send(IEnumerable<Message<string, byte[]>> outcomes)
    {
        foreach (var outcome in outcomes)
            _producer.Produce("mlops.outcomes", outcome);
    }

    private Message<string, byte[]> Prediction(string id, DateTimeOffset time, double age, string plan)
    {
        double p = Churn(age, plan);
        return Record(id, string.Create(CultureInfo.InvariantCulture,
            $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","modelVersion":"1","timestamp":"{{time:O}}","features":{"age":{{age:F2}},"plan":"{{plan}}"},"prediction":"{{(p >= 0.5 ? 1 : 0)}}","score":{{p:F4}},"latencyMs":{{2 + 10 * _random.NextDouble():F1}}}"""));
    }

    private Message<string, byte[]> Mistyped(string id, DateTimeOffset time) => Record(id,
        $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","modelVersion":"1","timestamp":"{{time:O}}","features":{"age":"old","plan":"basic"},"prediction":"1","score":0.5}""");

    private static Message<string, byte[]> Record(string key, string json) => new() { Key = key, Value = Encoding.UTF8.GetBytes(json) };

    // Churn is likelier for the young on the basic plan.
    private static double Churn(double age, string plan) => 1 / (1 + Math.Exp(-(0.25 * (40 - age) + (plan == "basic" ? 0.8 : -0.8))));

    private static DateTimeOffset Minute(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, TimeSpan.Zero);

    private static string ReferenceCsv()
    {
        var random = new Random(1);
        var csv = new StringBuilder("age,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{40 + 10 * (random.NextDouble() - 0.5):F2},{(random.NextDouble() < 0.7 ? "basic" : "gold")}\n");
        return csv.ToString();
    }
}
