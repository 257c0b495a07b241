using System.Globalization;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Hosting.Bus;
using MlOps.Statistics.Metrics;
using MlOps.Training.Data;
using MlOps.Training.Metrics;

namespace MlOps.Training.Service;

/// <summary>
/// Assesses a challenger against the champion for <see cref="EvaluateChallenger"/>, on the same data: the run's test
/// split (the last 10 % by time of its labelled examples) and the latest labelled window (the model's window length,
/// ending at the run's range end). The champion is scored from its artifact when that is an ML.NET model this trainer
/// can load; otherwise its realised metrics (the predictions it logged for those examples) stand in, and the
/// evidence says which.
/// </summary>
public sealed partial class EvaluateChallengerConsumer(TrainingGateway gateway, IOptions<TrainingOptions> options, IOptions<BusOptions> busOptions, ILogger<EvaluateChallengerConsumer> logger) : IConsumer<EvaluateChallenger>
{
    /// <inheritdoc />
    public async Task Consume(ConsumeContext<EvaluateChallenger> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        var model = await gateway.Registry.GetModelAsync(m.Model, ct);
        var schema = model.Schema;
        var logged = await ExampleSource.ReadAsync(gateway, m.Model, m.From, m.To, options.Value.MaxExamples, ct);
        var data = TrainingDataPreparation.Prepare(schema, logged.Select(e => e.Example));
        // The test rows: every valid example after the challenger's training data (its training-data end), up to the
        // run's range end. That is the trainer's test split plus outcomes that joined since, never a training row.
        var version = await gateway.Registry.GetVersionAsync(m.Model, m.ChallengerVersion, ct);
        var trainedTo = version.TrainingDataTo ?? m.From;
        List<LabelledExample> test = [.. data.Train.Concat(data.Validation).Concat(data.Test).Where(e => e.Timestamp > trainedTo)];
        if (test.Count == 0)
            throw new TrainingException($"No labelled examples after the challenger's training data ({trainedTo:u}..{m.To:u}) to evaluate on.");
        var byId = logged.GroupBy(e => e.Example.PredictionId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        byte[] challenger = await DownloadAsync(m.Model, m.ChallengerVersion, ct);
        byte[]? champion = m.ChampionVersion is { } cv ? await DownloadAsync(m.Model, cv, ct) : null;

        var windowStart = m.To - TimeSpan.FromMinutes(model.Monitoring.WindowMinutes);
        var window = logged.Select(e => e.Example).Where(e => e.Timestamp >= windowStart).ToList();
        var (championTest, method) = Champion(schema, champion, test, byId, m.ChampionVersion);
        var (championWindow, _) = Champion(schema, champion, window, byId, m.ChampionVersion);

        var evidence = new PromotionEvidence
        {
            EvaluationData = string.Create(CultureInfo.InvariantCulture,
                $"test split: the {test.Count} labelled examples after the challenger's training data ({trainedTo:u}..{m.To:u}); champion {method}"),
            Challenger = new MetricSet { Version = m.ChallengerVersion, Metrics = new(ModelScoring.Evaluate(schema, challenger, test), StringComparer.Ordinal) },
            Champion = m.ChampionVersion is null ? null : new MetricSet { Version = m.ChampionVersion, Metrics = championTest },
            RecentTraffic = window.Count == 0 ? null : new TrafficEvidence
            {
                Rows = window.Count,
                Challenger = new MetricSet { Version = m.ChallengerVersion, Metrics = new(ModelScoring.Evaluate(schema, challenger, window), StringComparer.Ordinal) },
                Champion = m.ChampionVersion is null ? null : new MetricSet { Version = m.ChampionVersion, Metrics = championWindow },
            },
        };
        LogEvaluated(m.Model, m.RunId.ToString("N"), m.ChallengerVersion, m.ChampionVersion ?? "none", method);
        // Bounded: a confirm that never comes fails the attempt (the fault reaches the saga, which retries).
        var answer = new ChallengerEvaluated
        {
            RunId = m.RunId,
            Model = m.Model,
            ChallengerVersion = m.ChallengerVersion,
            ChampionVersion = m.ChampionVersion,
            Evidence = evidence,
        };
        await busOptions.Value.WithinAsync(token => context.Publish(answer, token), ct);
    }

    private async Task<byte[]> DownloadAsync(string model, string version, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        await gateway.Registry.DownloadArtifactAsync(model, version, buffer, ct);
        return buffer.ToArray();
    }

    // The champion's metrics on these rows: scored from its artifact, else what it predicted when it served them.
    private static (Dictionary<string, double> Metrics, string Method) Champion(ModelSchema schema, byte[]? artifact, IReadOnlyList<LabelledExample> rows, Dictionary<string, LoggedExample> logged, string? version)
    {
        if (artifact is null || version is null)
            return ([], "none (the model has no champion)");
        try
        {
            return (new(ModelScoring.Evaluate(schema, artifact, rows), StringComparer.Ordinal), "scored from its ML.NET artifact on the same rows");
        }
        catch (TrainingException)
        {
            var served = rows.Where(r => r.Version == version && logged.ContainsKey(r.PredictionId)).Select(r => logged[r.PredictionId]).ToList();
            return (Realised(schema, served), string.Create(CultureInfo.InvariantCulture,
                $"realised metrics (its logged predictions) on the {served.Count} of those rows it served: its artifact is not an ML.NET model"));
        }
    }

    /// <summary>Metrics of the predictions a model logged, against the actual values: the monitor's formulas.</summary>
    internal static Dictionary<string, double> Realised(ModelSchema schema, IReadOnlyList<LoggedExample> rows)
    {
        if (rows.Count == 0)
            return [];
        switch (schema.Task)
        {
            case ModelTask.Binary:
                var actual = rows.Select(r => FeatureTable.IsPositive(schema, r.Example.Actual)).ToArray();
                var predicted = rows.Select(r => FeatureTable.IsPositive(schema, r.Prediction)).ToArray();
                double[] scores = rows.All(r => r.Score is not null) ? [.. rows.Select(r => r.Score!.Value)] : [];
                return TaskMetrics.Binary(BinaryClassification.FromPredictions(actual, predicted, scores));
            case ModelTask.Multiclass:
                var multiclass = new MulticlassMetricsAccumulator();
                foreach (var r in rows)
                    multiclass.Add(r.Example.Actual, r.Prediction);
                return TaskMetrics.Multiclass(multiclass.ToMetrics());
            default:
                var numeric = rows.Where(r => r.Example.ActualNumber is not null && double.TryParse(r.Prediction, NumberStyles.Float, CultureInfo.InvariantCulture, out _)).ToList();
                return numeric.Count == 0
                    ? []
                    : TaskMetrics.Regression(RegressionMetricsAccumulator.Compute(
                        [.. numeric.Select(r => r.Example.ActualNumber!.Value)],
                        [.. numeric.Select(r => double.Parse(r.Prediction, CultureInfo.InvariantCulture))]));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: evaluated {Model} version {Challenger} against champion {Champion} ({Method})")]
    private partial void LogEvaluated(string model, string runId, string challenger, string champion, string method);
}
