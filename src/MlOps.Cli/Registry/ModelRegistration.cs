using System.CommandLine;
using MlOps.Client.Registry;
using MlOps.Contracts.Registry;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops models register</c> and <c>mlops models register-version</c>: what goes into the registry (admin).</summary>
internal static class ModelRegistration
{
    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    public static Command Register(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "Model name: letters, digits, '.', '_' or '-'", Required = true };
        var schema = new Option<string>("--schema") { Description = "Model schema JSON (task, features, positive class; its 'model' field is replaced by --name)", Required = true, HelpName = "FILE" };
        var description = new Option<string?>("--description") { Description = "What the model does" };
        var owner = new Option<string?>("--owner") { Description = "Who answers for it (team or person)" };
        var policy = new Option<string?>("--policy") { Description = "Promotion policy JSON (approvalsRequired, fourEyes, expiryHours, initialChampion, autoApprove)", HelpName = "FILE" };
        var monitoring = new Option<string?>("--monitoring") { Description = "Monitoring JSON (windowMinutes, countTrigger, per-feature drift overrides)", HelpName = "FILE" };
        var retraining = new Option<string?>("--retraining") { Description = "Retraining policy JSON (autoTrigger, cooldownHours, minLabelledRows, trainers, folds, trials, timeBudgetSeconds, …)", HelpName = "FILE" };

        return new Command("register", "Register a model with its schema (admin)") { name, schema, description, owner, policy, monitoring, retraining }
            .WithRegistryAction(context, async (parse, call, ct) =>
            {
                string modelName = parse.GetRequiredValue(name).Trim();
                var body = new RegisterModelRequest
                {
                    Name = modelName,
                    Description = parse.GetValue(description),
                    Owner = parse.GetValue(owner),
                    Schema = UserFiles.Read(parse.GetRequiredValue(schema), Json.ModelSchemaBody) with { Model = modelName },
                    Monitoring = parse.GetValue(monitoring) is { } m ? UserFiles.Read(m, Json.MonitoringConfig) : null,
                    Policy = parse.GetValue(policy) is { } p ? UserFiles.Read(p, Json.PromotionPolicy) : null,
                    Retraining = parse.GetValue(retraining) is { } r ? UserFiles.Read(r, Json.RetrainingPolicy) : null,
                };
                call.Print(await call.Client.RegisterModelAsync(body, ct), Json.ModelResponse, ModelTables.Registered);
            });
    }

    public static Command RegisterVersion(CliContext context)
    {
        var name = ModelsCommand.NameArgument();
        var artifact = new Option<string>("--artifact") { Description = "The model file to store (any format)", Required = true, HelpName = "FILE" };
        var metrics = new Option<string[]>("--metrics") { Description = "Offline metrics, e.g. f1=0.8,roc_auc=0.9 (repeatable)", HelpName = "NAME=VALUE,…" };
        var reference = new Option<string?>("--reference") { Description = "Training data CSV: the registry builds the version's reference profile for drift", HelpName = "CSV" };
        var runId = new Option<string?>("--run-id") { Description = "The training run that produced it" };
        var parentVersion = new Option<string?>("--parent-version") { Description = "The version it was retrained from", HelpName = "V" };
        var tags = new Option<string[]>("--tag") { Description = "A tag key=value (repeatable)", HelpName = "KEY=VALUE" };

        return new Command("register-version", "Upload a new version of a model: artifact, metrics, reference data (admin)") { name, artifact, metrics, reference, runId, parentVersion, tags }
            .WithRegistryAction(context, async (parse, call, ct) =>
            {
                var metadata = new RegisterVersionMetadata
                {
                    Metrics = KeyValues.Metrics(parse.GetValue(metrics), "--metrics"),
                    ParentVersion = parse.GetValue(parentVersion),
                    RunId = parse.GetValue(runId),
                    Tags = KeyValues.Tags(parse.GetValue(tags), "--tag"),
                };
                string artifactPath = parse.GetRequiredValue(artifact);
                await using var artifactFile = UserFiles.OpenRead(artifactPath);
                string? csv = parse.GetValue(reference);
                await using var csvFile = csv is null ? null : UserFiles.OpenRead(csv);
                var upload = new VersionUpload
                {
                    Artifact = artifactFile,
                    ArtifactFileName = Path.GetFileName(artifactPath),
                    Metadata = metadata,
                    ReferenceCsv = csvFile,
                    ReferenceCsvFileName = csv is null ? "reference.csv" : Path.GetFileName(csv),
                };
                call.Print(await call.Client.RegisterVersionAsync(parse.GetRequiredValue(name), upload, ct), Json.VersionResponse, ModelTables.VersionRegistered);
            }, upload: true);
    }
}
