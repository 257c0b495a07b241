using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace MlOps.Cli.Tests.Platform;

/// <summary>`mlops up` as a real child process: what it prints (URL, key files, Kafka bootstrap) and how it stops on a signal.</summary>
internal sealed class UpProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Dictionary<string, TaskCompletionSource<string>> _printed = new(StringComparer.Ordinal)
    {
        ["web/API:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["bootstrap:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["viewer key:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["admin key:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["approver key:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
        ["producer key:"] = new(TaskCreationOptions.RunContinuationsAsynchronously),
    };

    private UpProcess(Process process) => _process = process;

    public string Url { get; private set; } = "";

    public string Bootstrap { get; private set; } = "";

    /// <summary>Key file paths by role, as `up` printed them.</summary>
    public Dictionary<string, string> KeyFiles { get; } = [];

    public string Output
    {
        get
        {
            lock (_output)
                return _output.ToString();
        }
    }

    /// <summary>
    /// Starts <c>mlops up --data <paramref name="data"/> --port 0</c> (or <c>demo</c> with its arguments, and extra
    /// environment variables) and waits until <c>/health/ready</c> answers 200.
    /// </summary>
    public static async Task<UpProcess> StartAsync(string data, string command = "up", IReadOnlyList<string>? arguments = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        // Through env(1) so SIGINT has its default disposition: a test run started in the background (`cmd &`) has
        // it ignored, and an ignored signal stays ignored in every child (which is right for `mlops up`, not for a test).
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in (string[])["--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "mlops.dll"), command, "--data", data, "--port", "0", .. arguments ?? []])
            start.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var up = new UpProcess(new Process { StartInfo = start });
        up._process.OutputDataReceived += (_, e) => up.OnLine(e.Data);
        up._process.ErrorDataReceived += (_, e) => up.OnLine(e.Data);
        up._process.Start();
        up._process.BeginOutputReadLine();
        up._process.BeginErrorReadLine();
        try
        {
            up.Url = (await up.Printed("web/API:")).TrimEnd('/');
            up.Bootstrap = await up.Printed("bootstrap:");
            foreach (string role in new[] { "admin", "approver", "viewer", "producer" })
                up.KeyFiles[role] = await up.Printed($"{role} key:");
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            await Eventually.HoldsAsync(async () =>
            {
                using var response = await http.GetAsync(new Uri($"{up.Url}/health/ready"));
                return response.StatusCode == HttpStatusCode.OK;
            }, "mlops up is ready");
            return up;
        }
        catch
        {
            await up.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends SIG<paramref name="signal"/> and waits (at most 10 s) for the exit; returns the exit code and how long it took.</summary>
    public async Task<(int ExitCode, TimeSpan Took)> StopAsync(string signal)
    {
        using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        var clock = Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"SIG{signal}: still running after 10 s:\n{Output}");
        }

        return (_process.ExitCode, clock.Elapsed);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private async Task<string> Printed(string label)
    {
        try
        {
            return await _printed[label].Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"mlops up did not print '{label}' within 90 s:\n{Output}");
        }
    }

    private void OnLine(string? line)
    {
        if (line is null)
            return;
        lock (_output)
            _output.AppendLine(line);
        foreach (var (label, printed) in _printed)
        {
            if (line.StartsWith(label, StringComparison.Ordinal))
                printed.TrySetResult(line[label.Length..].Trim());
        }
    }
}
