using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Contracts;
using MlOps.Contracts.Events;
using MlOps.Contracts.Serialization;
using MlOps.Kafka;

namespace MlOps.Cli.Simulation;

/// <summary>Settings of one simulation run.</summary>
internal sealed record SimulationOptions(
    string BootstrapServers,
    string Model,
    string ModelVersion,
    double Rate,
    TimeSpan DriftAfter,
    IReadOnlySet<string> DriftFeatures,
    TimeSpan? Duration,
    TimeSpan OutcomeDelay,
    double LabelShare,
    string PredictionsTopic = Topics.Predictions,
    string OutcomesTopic = Topics.Outcomes,
    int Seed = 42);

/// <summary>
/// Produces prediction events at a steady rate and their outcomes after a delay, keyed by predictionId (so a prediction
/// and its outcome share a partition), with drift switched on for the chosen features after a delay.
/// </summary>
internal sealed class Simulator(SimulationOptions options, TimeProvider time)
{
    /// <summary>Predictions produced so far.</summary>
    public long Predictions { get; private set; }

    /// <summary>Outcomes produced so far.</summary>
    public long Outcomes { get; private set; }

    /// <summary>True once drift is on.</summary>
    public bool Drifting { get; private set; }

    /// <summary>Raised once, when drift starts.</summary>
    public event Action? DriftStarted;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (!(options.Rate > 0))
            throw new InputException("--rate must be positive");
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(options.BootstrapServers);
        var generator = new ChurnGenerator(options.Seed);
        var noDrift = new HashSet<string>();
        var outcomes = new Queue<(long Due, OutcomeEvent Outcome)>();
        var labelRandom = new Random(options.Seed + 1);
        var clock = Stopwatch.StartNew();
        long started = time.GetUtcNow().ToUnixTimeMilliseconds();
        long produced = 0;
        var errors = 0L;
        void Delivered(DeliveryReport<string, byte[]> report)
        {
            if (report.Error.IsError)
                Interlocked.Increment(ref errors);
        }

        while (!cancellationToken.IsCancellationRequested && (options.Duration is not { } d || clock.Elapsed < d))
        {
            if (!Drifting && clock.Elapsed >= options.DriftAfter && options.DriftFeatures.Count > 0)
            {
                Drifting = true;
                DriftStarted?.Invoke();
            }

            long due = (long)(clock.Elapsed.TotalSeconds * options.Rate);
            var now = time.GetUtcNow();
            while (produced < due)
            {
                string id = string.Create(CultureInfo.InvariantCulture, $"sim-{started:x}-{produced:D9}");
                var (features, score, label) = generator.Next(Drifting ? options.DriftFeatures : noDrift);
                var prediction = new PredictionEvent
                {
                    PredictionId = id,
                    Model = options.Model,
                    ModelVersion = options.ModelVersion,
                    Timestamp = now,
                    Features = features,
                    Prediction = score >= 0.5 ? "1" : "0",
                    Score = score,
                    LatencyMs = Math.Round(4 + 6 * labelRandom.NextDouble(), 2),
                };
                producer.Produce(options.PredictionsTopic, new Message<string, byte[]> { Key = id, Value = JsonSerializer.SerializeToUtf8Bytes(prediction, ContractsJsonContext.Default.PredictionEvent) }, Delivered);
                produced++;
                Predictions++;
                if (labelRandom.NextDouble() < options.LabelShare)
                {
                    var at = now + options.OutcomeDelay;
                    outcomes.Enqueue((at.ToUnixTimeMilliseconds(), new OutcomeEvent { PredictionId = id, Model = options.Model, Timestamp = at, Actual = label }));
                }
            }

            long nowMs = now.ToUnixTimeMilliseconds();
            while (outcomes.TryPeek(out var next) && next.Due <= nowMs)
            {
                outcomes.Dequeue();
                producer.Produce(options.OutcomesTopic, new Message<string, byte[]> { Key = next.Outcome.PredictionId, Value = JsonSerializer.SerializeToUtf8Bytes(next.Outcome, ContractsJsonContext.Default.OutcomeEvent) }, Delivered);
                Outcomes++;
            }

            if (Interlocked.Read(ref errors) > 0)
                throw new InputException($"producing to {options.BootstrapServers} failed ({errors} records); is Kafka reachable?");
            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopped (Ctrl+C, SIGTERM): deliver what was produced before leaving.
                break;
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }
}
