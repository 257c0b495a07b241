using System.CommandLine;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops models</c>: list, show, register models and versions, list versions, roll the champion back.</summary>
internal static class ModelsCommand
{
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
            call.Print(await call.Client.GetAsync(ApiPaths.Models, ct), RegistryJsonContext.Default.ListModelDto, ModelTables.List));

    private static Command Show(CliContext context)
    {
        var name = NameArgument();
        return new Command("show", "Show a model: schema, aliases, monitoring and promotion policy") { name }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.GetAsync(ApiPaths.Model(parse.GetRequiredValue(name)), ct), RegistryJsonContext.Default.ModelDto, ModelTables.Show));
    }

    private static Command Versions(CliContext context)
    {
        var name = NameArgument();
        return new Command("versions", "List a model's versions: artifact, metrics, reference profile, aliases") { name }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.GetAsync(ApiPaths.Versions(parse.GetRequiredValue(name)), ct), RegistryJsonContext.Default.ListVersionDto, ModelTables.Versions));
    }

    private static Command Rollback(CliContext context)
    {
        var name = NameArgument();
        var reason = new Option<string>("--reason") { Description = "Why (required: it goes into the audit log)", Required = true };
        var toVersion = new Option<string?>("--to-version") { Description = "The version to make champion (default: the champion before the current one)", HelpName = "V" };
        return new Command("rollback", "Make an earlier version champion again (admin)") { name, reason, toVersion }.WithRegistryAction(context, async (parse, call, ct) =>
        {
            var body = new RollbackBody(parse.GetValue(toVersion), parse.GetRequiredValue(reason));
            string response = await call.Client.PostAsync(ApiPaths.Rollback(parse.GetRequiredValue(name)), body, RegistryJsonContext.Default.RollbackBody, ct);
            call.Print(response, RegistryJsonContext.Default.AliasDto, ModelTables.RolledBack);
        });
    }

    internal static Argument<string> NameArgument() => new("name") { Description = "The model's name" };
}
