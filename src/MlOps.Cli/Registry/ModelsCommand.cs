using System.CommandLine;
using MlOps.Contracts.Registry;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops models</c>: list, show, register models and versions, list versions, roll the champion back.</summary>
internal static class ModelsCommand
{
    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    public static Command Create(CliContext context) => new("models", "Model registry: models, versions and champion rollback")
    {
        List(context),
        Show(context),
        Versions(context),
        ModelRegistration.Register(context),
        ModelRegistration.RegisterVersion(context),
        Rollback(context),
        UploadDataset(context),
    };

    private static Command UploadDataset(CliContext context)
    {
        var name = NameArgument();
        var csv = new Option<string>("--csv") { Description = "CSV: one column per feature and the label in 'actual'; every retraining run trains on it too", Required = true, HelpName = "FILE" };
        return new Command("upload-dataset", "Set the model's base dataset for retraining (admin; replaces an earlier one)") { name, csv }.WithRegistryAction(context, async (parse, call, ct) =>
        {
            string path = parse.GetRequiredValue(csv);
            await using var file = UserFiles.OpenRead(path);
            var info = await call.Client.UploadBaseDatasetAsync(parse.GetRequiredValue(name), file, Path.GetFileName(path), ct);
            call.Print(info, Json.BaseDatasetResponse, (d, output) =>
                output.WriteLine($"base dataset of {d.Model}: {d.Rows:N0} rows, {Display.Bytes(d.Size)} bytes, sha256 {d.Sha256[..12]} (by {d.UploadedBy})"));
        }, upload: true);
    }

    private static Command List(CliContext context) =>
        new Command("list", "List the registered models with their champion and aliases").WithRegistryAction(context, async (_, call, ct) =>
            call.Print(await call.Client.ListModelsAsync(ct), Json.IReadOnlyListModelResponse, ModelTables.List));

    private static Command Show(CliContext context)
    {
        var name = NameArgument();
        return new Command("show", "Show a model: schema, aliases, monitoring and promotion policy") { name }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.GetModelAsync(parse.GetRequiredValue(name), ct), Json.ModelResponse, ModelTables.Show));
    }

    private static Command Versions(CliContext context)
    {
        var name = NameArgument();
        return new Command("versions", "List a model's versions: artifact, metrics, reference profile, aliases") { name }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.ListVersionsAsync(parse.GetRequiredValue(name), ct), Json.IReadOnlyListVersionResponse, ModelTables.Versions));
    }

    private static Command Rollback(CliContext context)
    {
        var name = NameArgument();
        var reason = new Option<string>("--reason") { Description = "Why (required: it goes into the audit log)", Required = true };
        var toVersion = new Option<string?>("--to-version") { Description = "The version to make champion (default: the champion before the current one)", HelpName = "V" };
        return new Command("rollback", "Make an earlier version champion again (admin)") { name, reason, toVersion }.WithRegistryAction(context, async (parse, call, ct) =>
        {
            var body = new RollbackRequest { Version = parse.GetValue(toVersion), Reason = parse.GetRequiredValue(reason) };
            call.Print(await call.Client.RollbackAsync(parse.GetRequiredValue(name), body, ct), Json.AliasResponse, ModelTables.RolledBack);
        });
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "The model's name" };
}
