using System.CommandLine;

namespace MlOps.Cli.Registry;

/// <summary>
/// Gives a registry command its shared options and an async action with the CLI's error contract: one line
/// <c>mlops: error: …</c> and exit code 2 for anything the user can fix, never a stack trace.
/// </summary>
internal static class RegistryAction
{
    public static Command WithRegistryAction(this Command command, CliContext context, Func<ParseResult, RegistryCall, CancellationToken, Task> run)
    {
        var options = new RegistryOptions();
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            using var client = new RegistryClient(options.Endpoint(parse));
            await run(parse, new RegistryCall(client, options.Format(parse), context.Out), cancellationToken);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
