using MlOps.Cli;

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops the work cleanly; a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

return await MlOpsCommand.RunAsync(args, Console.Out, Console.Error, showProgress: true, cancellation.Token);
