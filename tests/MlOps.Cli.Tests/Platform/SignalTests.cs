using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace MlOps.Cli.Tests.Platform;

/// <summary>`mlops up` as Kubernetes, systemd, `timeout` and CI stop it: a real process and a real signal.</summary>
public sealed class SignalTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-signal-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // The process may still be closing its database file.
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task Up_stops_cleanly_with_exit_code_0_within_10_seconds(string signal)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { Path.Combine(AppContext.BaseDirectory, "mlops.dll"), "up", "--data", _data, "--port", "0" })
            start.ArgumentList.Add(arg);
        var health = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Text.StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (output)
                output.AppendLine(e.Data);
            if (e.Data.StartsWith("health:", StringComparison.Ordinal))
                health.TrySetResult(e.Data["health:".Length..].Trim());
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (output)
                output.AppendLine(e.Data);
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            string url = await health.Task.WaitAsync(TimeSpan.FromSeconds(60));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await http.GetAsync(new Uri(url));
                return response.StatusCode == HttpStatusCode.OK;
            }, "mlops up is ready");

            using (var kill = Process.Start("kill", ["-" + signal, process.Id.ToString(CultureInfo.InvariantCulture)]))
                await kill.WaitForExitAsync();
            var clock = Stopwatch.StartNew();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(deadline.Token);
            lock (output)
                Assert.True(process.ExitCode == 0, $"SIG{signal}: exit {process.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s:\n{output}");
        }
        finally
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
    }
}
