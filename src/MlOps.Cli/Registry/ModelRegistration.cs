using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops models register</c> and <c>mlops models register-version</c>: what goes into the registry (admin).</summary>
internal static class ModelRegistration
{
    public static Command Register(CliContext context)
    {
        var name = new Option<string>("--name") { Description = "Model name: letters, digits, '.', '_' or '-'", Required = true };
        var schema = new Option<string>("--schema") { Description = "Model schema JSON (task, features, positive class; its 'model' field is replaced by --name)", Required = true, HelpName = "FILE" };
        var description = new Option<string?>("--description") { Description = "What the model does" };
        var owner = new Option<string?>("--owner") { Description = "Who answers for it (team or person)" };
        var policy = new Option<string?>("--policy") { Description = "Promotion policy JSON (approvalsRequired, fourEyes, expiryHours, autoApprove)", HelpName = "FILE" };
        var monitoring = new Option<string?>("--monitoring") { Description = "Monitoring JSON (windowMinutes, countTrigger, per-feature drift overrides)", HelpName = "FILE" };

        return new Command("register", "Register a model with its schema (admin)") { name, schema, description, owner, policy, monitoring }
            .WithRegistryAction(context, async (parse, call, ct) =>
            {
                string modelName = parse.GetRequiredValue(name).Trim();
                var schemaJson = UserFiles.ReadObject(parse.GetRequiredValue(schema));
                schemaJson["model"] = modelName;
                var body = new RegisterModelBody(
                    modelName,
                    parse.GetValue(description),
                    parse.GetValue(owner),
                    schemaJson,
                    parse.GetValue(monitoring) is { } m ? UserFiles.ReadObject(m) : null,
                    parse.GetValue(policy) is { } p ? UserFiles.ReadObject(p) : null);
                string response = await call.Client.PostAsync(ApiPaths.Models, body, RegistryJsonContext.Default.RegisterModelBody, ct);
                call.Print(response, RegistryJsonContext.Default.ModelDto, ModelTables.Registered);
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
                var metadata = new VersionMetadataBody(
                    KeyValues.Metrics(parse.GetValue(metrics), "--metrics"),
                    parse.GetValue(parentVersion),
                    parse.GetValue(runId),
                    KeyValues.Tags(parse.GetValue(tags), "--tag"));
                using var form = new MultipartFormDataContent
                {
                    { File(parse.GetRequiredValue(artifact), "application/octet-stream"), "artifact", Path.GetFileName(parse.GetRequiredValue(artifact)) },
                    { new StringContent(JsonSerializer.Serialize(metadata, RegistryJsonContext.Default.VersionMetadataBody), Encoding.UTF8, "application/json"), "metadata" },
                };
                if (parse.GetValue(reference) is { } csv)
                    form.Add(File(csv, "text/csv"), "reference", Path.GetFileName(csv));
                string response = await call.Client.UploadAsync(ApiPaths.Versions(parse.GetRequiredValue(name)), form, ct);
                call.Print(response, RegistryJsonContext.Default.VersionDto, ModelTables.VersionRegistered);
            });
    }

    private static StreamContent File(string path, string mediaType)
    {
        var content = new StreamContent(UserFiles.OpenRead(path));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
