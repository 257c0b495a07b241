using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MlOps.Cli.Tests.Platform;

/// <summary>A second <c>mlops up</c>, or anything else on the port: one line that says what to do, not a stack trace.</summary>
public sealed class PortInUseTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-port-test-").FullName;

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

    [Fact]
    public async Task Up_on_a_port_in_use_exits_2_with_one_line_naming_the_address_and_the_option()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])[Path.Combine(AppContext.BaseDirectory, "mlops.dll"), "up", "--data", _data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)])
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mlops up kept running on a port in use:\n{await stdout}\n{await stderr}");
        }

        string error = await stderr;
        Assert.True(process.ExitCode == 2, $"exit {process.ExitCode}:\n{await stdout}\n{error}");
        var lines = error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("mlops: ", StringComparison.Ordinal)).ToList();
        Assert.Single(lines);
        Assert.Contains($"127.0.0.1:{port}", lines[0]);
        Assert.Contains("address already in use", lines[0]);
        Assert.Contains("--port", lines[0]);
        Assert.DoesNotContain("   at ", error);
        // The host logs why it did not start; nothing after that reads as another failure.
        Assert.DoesNotContain("BackgroundService failed", await stdout + error);
    }
}
