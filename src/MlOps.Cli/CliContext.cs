using MlOps.Cli.Csv;

namespace MlOps.Cli;

/// <summary>
/// Where a command writes, and the one place that turns failures into exit codes: bad input prints one line
/// (<c>mlops: error: …</c>) and exits 2; nothing prints a stack trace at the user.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, bool showProgress)
{
    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public ProgressReporter Progress() => showProgress ? ProgressReporter.ForConsole() : ProgressReporter.None;

    /// <summary>Runs an async command with the CLI's error contract (see <see cref="Run"/>).</summary>
    public async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (Report(e) is { } code)
        {
            return code;
        }
    }

    /// <summary>Runs a command; failures the user can act on become one line on standard error and an exit code.</summary>
    public int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (Report(e) is { } code)
        {
            return code;
        }
    }

    // The one place exceptions become exit codes; null means a bug, which is rethrown.
    private int? Report(Exception e)
    {
        switch (e)
        {
            case InputException:
                Error.WriteLine($"mlops: error: {e.Message}");
                return ExitCodes.BadInput;
            case OperationCanceledException:
                Error.WriteLine("mlops: cancelled");
                return ExitCodes.Cancelled;
            case AggregateException a when a.InnerExceptions.All(x => x is InputException):
                Error.WriteLine($"mlops: error: {a.InnerExceptions[0].Message}");
                return ExitCodes.BadInput;
            case IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException }:
                // Kestrel's message names the address ("Failed to bind to address http://…: address already in use.").
                Error.WriteLine($"mlops: error: {e.Message.TrimEnd('.')}: another process is listening there; stop it or pass --port");
                return ExitCodes.BadInput;
            case OutOfMemoryException:
                Error.WriteLine("mlops: error: out of memory (choose fewer columns with --columns)");
                return ExitCodes.BadInput;
            default:
                return null;
        }
    }
}
