using System.Globalization;
using System.Text;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;

namespace MlOps.Monitoring.Tests.Faults;

/// <summary>
/// The traffic of a fault scenario and what it must produce. For each model: <see cref="Windows"/> one-minute windows
/// of <see cref="PerWindow"/> predictions each, back-dated half an hour, produced interleaved in event-time order (so
/// a fault in the middle of the stream hits every partition and a window in progress); an outcome for every fourth
/// prediction; a producer retry (the same prediction again) every 100th and of an outcome every 200th; a non-JSON
/// record every 500th. The windows in <see cref="Shifted"/> carry age and income four standard deviations off the
/// reference: they, and only they, raise <c>DriftDetected</c>.
/// </summary>
internal sealed class FaultStream
{
    private const double AgeMean = 40, AgeStd = 10, IncomeMean = 50_000, IncomeStd = 10_000;
    private static readonly string[] Plans = ["basic", "silver", "gold"];

    public FaultStream(IReadOnlyList<string>? models = null, int? windows = null, int? perWindow = null, IReadOnlySet<int>? shifted = null)
    {
        Models = models ?? ["fault"];
        Windows = windows ?? FaultScale.Windows;
        PerWindow = perWindow ?? FaultScale.EventsPerWindow;
        Shifted = shifted ?? new HashSet<int> { 1 };
        var now = DateTimeOffset.UtcNow;
        Base = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-30);
    }

    public IReadOnlyList<string> Models { get; }

    public int Windows { get; }

    public int PerWindow { get; }

    public IReadOnlySet<int> Shifted { get; }

    /// <summary>The start of window 0.</summary>
    public DateTimeOffset Base { get; }

    /// <summary>Stream positions: one per model and prediction, in event-time order.</summary>
    public int Length => Models.Count * Windows * PerWindow;

    public DateTimeOffset WindowStart(int window) => Base.AddMinutes(window);

    private readonly Dictionary<int, int> _late = [];

    /// <summary>Labelled predictions of a window per model: every fourth, plus those labelled late (<see cref="ProduceLateOutcomes"/>).</summary>
    public int LabelledPerWindow(int window) => Enumerable.Range(window * PerWindow, PerWindow).Count(j => j % 4 == 0) + _late.GetValueOrDefault(window);

    /// <summary>
    /// Outcomes, minutes after their window closed (before the sealing events), for the predictions of <paramref name="window"/> that had none (every fourth
    /// but one); every tenth twice. Produced once the window is closed, they are late labels folded into it.
    /// </summary>
    public void ProduceLateOutcomes(IProducer<string, byte[]> producer, string group, int window)
    {
        int count = 0;
        foreach (string model in Models)
        {
            count = 0;
            for (int j = window * PerWindow; j < (window + 1) * PerWindow; j++)
            {
                if (j % 4 != 1)
                    continue;
                var outcome = new OutcomeEvent { PredictionId = $"{model}-{j:D7}", Model = model, Timestamp = Base.AddMinutes(Windows + 5), Actual = (j % 3 == 0 ? 1 : 0).ToString(CultureInfo.InvariantCulture) };
                producer.Produce($"{group}.outcomes", MonitorHost.Message(outcome));
                if (j % 10 == 1)
                    producer.Produce($"{group}.outcomes", MonitorHost.Message(outcome));
                count++;
            }
        }

        _late[window] = _late.GetValueOrDefault(window) + count;
        producer.Flush(TimeSpan.FromSeconds(60));
    }

    /// <summary>Non-JSON records among the first <paramref name="to"/> positions.</summary>
    public int PoisonBefore(int to) => Enumerable.Range(0, to).Count(i => i % 500 == 0);

    /// <summary>Produces positions [from, to) of the stream.</summary>
    public void Produce(IProducer<string, byte[]> producer, string group, int from, int to)
    {
        for (int i = from; i < to; i++)
        {
            // Position i: model i % models, prediction j of the model (j / PerWindow is its window).
            string model = Models[i % Models.Count];
            int j = i / Models.Count;
            int window = j / PerWindow;
            var at = Base.AddMinutes(window).AddMilliseconds(j % PerWindow * (60_000.0 / PerWindow));
            // Seeded by position: the same stream in every run and every scenario.
            var random = new Random(i);
            var prediction = Prediction(model, $"{model}-{j:D7}", at, random, Shifted.Contains(window));
            producer.Produce($"{group}.predictions", MonitorHost.Message(prediction));
            if (j % 100 == 0)
                producer.Produce($"{group}.predictions", MonitorHost.Message(prediction));
            if (j % 4 == 0)
            {
                var outcome = new OutcomeEvent { PredictionId = prediction.PredictionId, Model = model, Timestamp = at.AddSeconds(5), Actual = random.Next(2).ToString(CultureInfo.InvariantCulture) };
                producer.Produce($"{group}.outcomes", MonitorHost.Message(outcome));
                if (j % 200 == 0)
                    producer.Produce($"{group}.outcomes", MonitorHost.Message(outcome));
            }

            if (i % 500 == 0)
                producer.Produce($"{group}.predictions", new Message<string, byte[]> { Key = $"bad-{i}", Value = "not json"u8.ToArray() });
        }
    }

    /// <summary>
    /// One prediction per model on every partition, ten minutes after the last window: every partition's watermark of
    /// every model passes all windows, so they close (the scenarios run with an idle timeout of an hour: only events
    /// move watermarks, whatever a fault does to the clock).
    /// </summary>
    public void Seal(IProducer<string, byte[]> producer, string group, int partitions)
    {
        var random = new Random(99);
        foreach (string model in Models)
        {
            for (int p = 0; p < partitions; p++)
                producer.Produce(new TopicPartition($"{group}.predictions", p), MonitorHost.Message(Prediction(model, $"{model}-seal-{p}", Base.AddMinutes(Windows + 10), random, shifted: false)));
        }

        producer.Flush(TimeSpan.FromSeconds(60));
    }

    /// <summary>Registers every model (schema, one version with a reference that matches the unshifted traffic).</summary>
    public async Task RegisterAsync(RegistryClient admin, RetrainingPolicy? retraining = null, double windowMinutes = 1)
    {
        foreach (string model in Models)
        {
            await admin.RegisterModelAsync(new RegisterModelRequest
            {
                Name = model,
                Schema = new ModelSchemaBody
                {
                    Task = ModelTask.Binary,
                    PositiveClass = "1",
                    Classes = ["0", "1"],
                    Features =
                    [
                        new FeatureSchema { Name = "age", Type = FeatureType.Numeric, Required = true },
                        new FeatureSchema { Name = "income", Type = FeatureType.Numeric },
                        new FeatureSchema { Name = "plan", Type = FeatureType.Categorical },
                    ],
                },
                Monitoring = new MonitoringConfig { WindowMinutes = windowMinutes, AllowedLatenessMinutes = 0 },
                Policy = new PromotionPolicy { FourEyes = false },
                // Retraining is not what these scenarios test (except where they ask for it): keep the CPU for the monitor.
                Retraining = retraining ?? new RetrainingPolicy { AutoTrigger = false },
            });
            var random = new Random(1);
            var csv = new StringBuilder("age,income,plan\n");
            for (int i = 0; i < 2000; i++)
                csv.Append(CultureInfo.InvariantCulture, $"{AgeMean + AgeStd * Normal(random):F3},{IncomeMean + IncomeStd * Normal(random):F2},{Plans[random.Next(3)]}\n");
            using var artifact = new MemoryStream([1, 2, 3]);
            using var reference = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
            // The first version becomes champion at once (initialChampion: auto).
            await admin.RegisterVersionAsync(model, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference });
        }
    }

    private static PredictionEvent Prediction(string model, string id, DateTimeOffset at, Random random, bool shifted)
    {
        double age = AgeMean + AgeStd * Normal(random) + (shifted ? 4 * AgeStd : 0);
        double income = IncomeMean + IncomeStd * Normal(random) + (shifted ? 4 * IncomeStd : 0);
        double p = 1 / (1 + Math.Exp(-(40 - age) / 10));
        return new PredictionEvent
        {
            PredictionId = id,
            Model = model,
            ModelVersion = "1",
            Timestamp = at,
            Features = new Dictionary<string, Scalar> { ["age"] = age, ["income"] = income, ["plan"] = Plans[random.Next(3)] },
            Prediction = p >= 0.5 ? "1" : "0",
            Score = p,
            LatencyMs = 5 + random.NextDouble() * 10,
        };
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
