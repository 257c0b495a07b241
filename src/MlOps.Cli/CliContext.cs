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

    /// <summary>The async form of <see cref="Run"/>, with the same error handling.</summary>
    public async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (InputException e)
        {
            Error.WriteLine($"mlops: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            return ExitCodes.Cancelled;
        }
    }

    public int Run(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (InputException e)
        {
            Error.WriteLine($"mlops: error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            Error.WriteLine("mlops: cancelled");
            return ExitCodes.Cancelled;
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is InputException))
        {
            Error.WriteLine($"mlops: error: {e.InnerExceptions[0].Message}");
            return ExitCodes.BadInput;
        }
        catch (OutOfMemoryException)
        {
            Error.WriteLine("mlops: error: out of memory (choose fewer columns with --columns)");
            return ExitCodes.BadInput;
        }
    }
}
