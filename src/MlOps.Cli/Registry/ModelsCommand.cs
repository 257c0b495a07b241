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
    };

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
