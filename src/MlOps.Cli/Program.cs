using System.Runtime.InteropServices;
using MlOps.Cli;
using MlOps.Cli.Diagnostics;

PhaseTrace.Mark("main");

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    // First Ctrl+C stops the work cleanly; a second one kills the process.
    e.Cancel = !cancellation.IsCancellationRequested;
    cancellation.Cancel();
};

// SIGTERM is how Kubernetes, systemd, `timeout` and CI stop a process: the same clean stop as Ctrl+C (final
// checkpoint, then exit), instead of the runtime's immediate exit.
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    cancellation.Cancel();
});

return await MlOpsCommand.RunAsync(args, Console.Out, Console.Error, showProgress: true, cancellation.Token);
