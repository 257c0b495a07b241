using System.CommandLine;
using MlOps.Cli.Commands;
using MlOps.Cli.Diagnostics;
using MlOps.Cli.Registry;

namespace MlOps.Cli;

/// <summary>The <c>mlops</c> root command and its entry point.</summary>
internal static class MlOpsCommand
{
    public static RootCommand Create(CliContext context) =>
        new("mlops — monitor machine-learning models: data drift, live metrics, model registry")
        {
            DriftCommand.Create(context),
            ReportCommand.Create(context),
            DevKafkaCommand.Create(context),
            PlatformCommands.Up(context),
            PlatformCommands.Demo(context),
            PlatformCommands.Simulate(context),
            EvaluateCommand.Create(context),
            ModelsCommand.Create(context),
            PromotionsCommand.Create(context),
            RetrainingCommands.Retrain(context),
            RetrainingCommands.Runs(context),
        };

    /// <summary>Parses and runs; argument errors print the problem and usage on standard error and exit 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool showProgress, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, showProgress);
        var root = Create(context);
        PhaseTrace.Mark("commands created");
        var parse = root.Parse(args);
        PhaseTrace.Mark("arguments parsed");
        if (parse.Errors.Count > 0)
        {
            foreach (var e in parse.Errors)
                await error.WriteLineAsync($"mlops: error: {e.Message}");
            await error.WriteLineAsync($"usage: see 'mlops {string.Join(' ', CommandPath(parse))} --help'");
            return ExitCodes.BadInput;
        }

        var configuration = new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null };
        return await parse.InvokeAsync(configuration, cancellationToken);
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r is not null && r.Command is not RootCommand; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Push(r.Command.Name);
        return names;
    }
}
