using System.Globalization;
using System.Text;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Contracts.Schemas;
using MlOps.Hosting.Bus;

namespace MlOps.Training.Service;

/// <summary>
/// Trains a challenger for <see cref="TrainModel"/>: the model's labelled examples in the run's range → de-duplicated,
/// invalid rows dropped → split by time 80/10/10 → model selection with cross-validation and a random search →
/// registered as a new version (ML.NET zip, metrics, reference profile of its training data, lineage) with alias
/// <c>challenger</c> → <see cref="ModelTrained"/>. A failure throws: MassTransit publishes the fault, and the saga
/// retries with back-off. Idempotent per run: a version already registered by the same run is reused.
/// </summary>
public sealed partial class TrainModelConsumer(TrainingGateway gateway, IOptions<TrainingOptions> options, IOptions<BusOptions> busOptions, TimeProvider time, ILogger<TrainModelConsumer> logger) : IConsumer<TrainModel>
{
    // RabbitMQ closes a channel with a delivery unacknowledged for consumer_timeout (30 minutes by default).
    private const int LongBudgetSeconds = 25 * 60;

    /// <summary>The alias a trained version gets.</summary>
    public const string ChallengerAlias = "challenger";

    /// <inheritdoc />
    public async Task Consume(ConsumeContext<TrainModel> context)
    {
        var m = context.Message;
        var ct = context.CancellationToken;
        string runId = m.RunId.ToString("N");
        LogTraining(m.Model, runId, m.Attempt, m.From, m.To);
        if (busOptions.Value.Transport == MlOps.Hosting.Bus.BusTransport.RabbitMq && m.Policy.TimeBudgetSeconds > LongBudgetSeconds)
            LogLongBudget(m.Model, runId, m.Policy.TimeBudgetSeconds);
        var model = await gateway.Registry.GetModelAsync(m.Model, ct);
        var examples = await ExampleSource.ReadAsync(gateway, m.Model, m.From, m.To, options.Value.MaxExamples, ct);
        var data = TrainingDataPreparation.Prepare(model.Schema, examples.Select(e => e.Example));
        int baseRows = 0;
        if (await gateway.Registry.GetBaseDatasetAsync(m.Model, ct) is not null)
        {
            // The model's base dataset joins the training split (all of it: it is older than every monitored example).
            using var buffer = new MemoryStream();
            await gateway.Registry.DownloadBaseDatasetAsync(m.Model, buffer, ct);
            buffer.Position = 0;
            var prepared = TrainingDataPreparation.Prepare(model.Schema, await BaseDatasetReader.ReadAsync(model.Schema, buffer, ct));
            List<LabelledExample> extra = [.. prepared.Train, .. prepared.Validation, .. prepared.Test];
            baseRows = extra.Count;
            var dropped = new Dictionary<string, long>(data.Dropped, StringComparer.Ordinal);
            foreach (var (reason, count) in prepared.Dropped)
                dropped[$"base_{reason}"] = count;
            data = new TrainingData([.. extra, .. data.Train], data.Validation, data.Test, dropped);
        }

        var result = await Task.Run(() => new ModelTrainer(time).Train(model.Schema, data, m.Policy, ct), ct);

        var existing = (await gateway.Registry.ListVersionsAsync(m.Model, ct)).FirstOrDefault(v => v.RunId == runId);
        var version = existing ?? await RegisterAsync(gateway.Registry, m, model.Schema, data, result, baseRows, ct);
        await gateway.Registry.SetAliasAsync(m.Model, ChallengerAlias, version.Version, ct);
        LogTrained(m.Model, runId, version.Version, result.Trainer, result.TrialsRun);
        // Bounded: a confirm that never comes fails the attempt (the fault reaches the saga, which retries).
        var answer = new ModelTrained
        {
            RunId = m.RunId,
            Model = m.Model,
            Version = version.Version,
            Trainer = result.Trainer,
            HyperParameters = result.HyperParameters,
            TestMetrics = result.TestMetrics,
            Rows = result.Rows,
            Dropped = result.Dropped,
            Trials = result.TrialsRun,
        };
        await busOptions.Value.WithinAsync(token => context.Publish(answer, token), ct);
    }

    private static async Task<VersionResponse> RegisterAsync(RegistryClient registry, TrainModel m, ModelSchema schema, TrainingData data, TrainingResult result, int baseRows, CancellationToken ct)
    {
        var metrics = new Dictionary<string, double>(result.TestMetrics, StringComparer.Ordinal);
        foreach (var (name, value) in result.CvMean)
            metrics[$"cv_{name}_mean"] = value;
        foreach (var (name, value) in result.CvStd)
            metrics[$"cv_{name}_std"] = value;
        var tags = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["trainer"] = result.Trainer,
            ["trials"] = result.TrialsRun.ToString(CultureInfo.InvariantCulture),
            ["folds"] = m.Policy.Folds.ToString(CultureInfo.InvariantCulture),
            ["rows.train"] = result.Rows.Train.ToString(CultureInfo.InvariantCulture),
            ["rows.validation"] = result.Rows.Validation.ToString(CultureInfo.InvariantCulture),
            ["rows.test"] = result.Rows.Test.ToString(CultureInfo.InvariantCulture),
            ["source"] = "retraining",
            ["rows.base"] = baseRows.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (name, value) in result.HyperParameters)
            tags[$"hp.{name}"] = value;
        foreach (var (reason, count) in result.Dropped)
            tags[$"dropped.{reason}"] = count.ToString(CultureInfo.InvariantCulture);

        var training = data.Train.Concat(data.Validation).ToList();
        var monitored = training.Where(e => e.Version != BaseDatasetReader.Source).ToList();
        using var artifact = new MemoryStream(result.ModelZip, writable: false);
        using var reference = new MemoryStream(Encoding.UTF8.GetBytes(ReferenceCsv(schema, training)), writable: false);
        return await registry.RegisterVersionAsync(m.Model, new VersionUpload
        {
            Artifact = artifact,
            ArtifactFileName = "model.zip",
            Metadata = new RegisterVersionMetadata
            {
                TrainingDataFrom = monitored.Count > 0 ? monitored.Min(e => e.Timestamp) : m.From,
                TrainingDataTo = monitored.Count > 0 ? monitored.Max(e => e.Timestamp) : m.To,
                Metrics = metrics,
                ParentVersion = m.ParentVersion,
                RunId = m.RunId.ToString("N"),
                Tags = tags,
            },
            ReferenceCsv = reference,
            ReferenceCsvFileName = "training-data.csv",
        }, ct);
    }

    /// <summary>The training rows' features as CSV (one column per schema feature; empty = missing): the registry profiles it as the version's reference.</summary>
    internal static string ReferenceCsv(ModelSchema schema, IReadOnlyList<LabelledExample> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', schema.Features.Select(f => Quote(f.Name))).Append('\n');
        foreach (var row in rows)
        {
            for (int i = 0; i < schema.Features.Count; i++)
            {
                if (i > 0)
                    sb.Append(',');
                sb.Append(row.Features.GetValueOrDefault(schema.Features[i].Name) switch
                {
                    null => "",
                    double d => d.ToString("R", CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    string s => Quote(s),
                    var other => Quote(Convert.ToString(other, CultureInfo.InvariantCulture) ?? ""),
                });
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\r\n") < 0 ? s : "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [LoggerMessage(Level = LogLevel.Information, Message = "Training a challenger of {Model} for run {RunId} (attempt {Attempt}) on labelled examples from {From} to {To}")]
    private partial void LogTraining(string model, string runId, int attempt, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {RunId}: {Model} trains for up to {Seconds} s while holding its TrainModel delivery: RabbitMQ's consumer_timeout (30 minutes by default) must be longer, or the broker closes the channel and the request trains again (deploy/rabbitmq/20-mlops.conf)")]
    private partial void LogLongBudget(string model, string runId, int seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {RunId}: {Model} version {Version} registered as challenger ({Trainer}, {Trials} trials)")]
    private partial void LogTrained(string model, string runId, string version, string trainer, int trials);
}
