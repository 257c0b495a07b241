using System.CommandLine;
using MlOps.Cli.Commands;
using MlOps.Cli.Diagnostics;
using MlOps.Cli.Registry;

namespace MlOps.Cli;

/// <summary>The <c>mlops</c> root command and its entry point.</summary>
internal static class MlOpsCommand
{
    // The subcommands by name, in the order of the help. Building all of them (their options, the types behind the
    // platform commands) costs a one-shot command like `mlops drift` tens of milliseconds at start.
    private static readonly (string Name, Func<CliContext, Command> Create)[] Subcommands =
    [
        ("drift", DriftCommand.Create),
        ("report", ReportCommand.Create),
        ("dev-kafka", DevKafkaCommand.Create),
        ("up", PlatformCommands.Up),
        ("demo", PlatformCommands.Demo),
        ("simulate", PlatformCommands.Simulate),
        ("evaluate", EvaluateCommand.Create),
        ("models", ModelsCommand.Create),
        ("promotions", PromotionsCommand.Create),
        ("retrain", RetrainingCommands.Retrain),
        ("retraining", RetrainingCommands.Runs),
    ];

    /// <summary>
    /// The command tree, with only the subcommand <paramref name="only"/> when it names one: a command line
    /// that starts with a subcommand's name parses and runs the same either way (its help does not list the others).
    /// </summary>
    internal static RootCommand Create(CliContext context, string? only = null)
    {
        var root = new RootCommand("mlops — monitor machine-learning models: data drift, live metrics, model registry");
        bool known = only is not null && Array.Exists(Subcommands, s => s.Name == only);
        foreach (var (name, create) in Subcommands)
        {
            if (!known || name == only)
                root.Subcommands.Add(create(context));
        }

        return root;
    }

    /// <summary>The names the subcommands are registered under, for tests that check them against the commands.</summary>
    internal static IEnumerable<string> SubcommandNames => Subcommands.Select(s => s.Name);

    /// <summary>Parses and runs; argument errors print the problem and usage on standard error and exit 2.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, bool showProgress, CancellationToken cancellationToken = default)
    {
        var context = new CliContext(output, error, showProgress);
        var root = Create(context, args.Length > 0 ? args[0] : null);
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
