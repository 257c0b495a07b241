using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Debian's Prometheus as a child process: a temporary config that scrapes one target every second, temporary
/// storage, a free loopback port. Disposing stops the process and deletes the folder.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly DirectoryInfo _folder;
    private readonly StringBuilder _log = new();
    private readonly HttpClient _http;

    private PrometheusServer(Process process, DirectoryInfo folder, Uri url)
    {
        _process = process;
        _folder = folder;
        _http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    public Uri Url => _http.BaseAddress!;

    /// <summary>The last lines Prometheus logged, for failure messages.</summary>
    public string LogTail
    {
        get
        {
            lock (_log)
                return _log.Length > 4000 ? _log.ToString(_log.Length - 4000, 4000) : _log.ToString();
        }
    }

    /// <summary>Starts Prometheus scraping <paramref name="target"/>'s /metrics as job <paramref name="job"/>; returns once it is ready.</summary>
    public static async Task<PrometheusServer> StartAsync(Uri target, string job)
    {
        string binary = Find("prometheus")
            ?? throw new Xunit.Sdk.XunitException("The prometheus binary is not installed: run 'bash deploy/local/services.sh install' (Debian's prometheus package).");
        var folder = Directory.CreateTempSubdirectory("mlops-prometheus-");
        string config = Path.Combine(folder.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: {job}
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Authority}"]
            """));
        int port = FreePort();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--storage.tsdb.path={Path.Combine(folder.FullName, "data")}");
        start.ArgumentList.Add(string.Create(CultureInfo.InvariantCulture, $"--web.listen-address=127.0.0.1:{port}"));
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{binary} did not start");
        var server = new PrometheusServer(process, folder, new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/")));
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.HoldsAsync(async () =>
            {
                if (process.HasExited)
                    throw new Xunit.Sdk.XunitException($"prometheus exited with {process.ExitCode}:{Environment.NewLine}{server.LogTail}");
                try
                {
                    using var ready = await server._http.GetAsync(new Uri("-/ready", UriKind.Relative));
                    return ready.StatusCode == HttpStatusCode.OK;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, "Prometheus is ready", TimeSpan.FromSeconds(20));
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>An instant query at the current time; the response body (<c>status</c>, <c>data</c> or <c>error</c>).</summary>
    public async Task<JsonElement> QueryAsync(string expression)
    {
        using var response = await _http.GetAsync(new Uri($"api/v1/query?query={Uri.EscapeDataString(expression)}", UriKind.Relative));
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="expression"/> has a result: the series it names were scraped.</summary>
    public Task WaitForDataAsync(string expression, TimeSpan timeout) =>
        Eventually.HoldsAsync(async () =>
        {
            var body = await QueryAsync(expression);
            return body.GetProperty("status").GetString() == "success" && body.GetProperty("data").GetProperty("result").GetArrayLength() > 0;
        }, $"Prometheus has scraped {expression}", timeout);

    /// <summary>The values of <paramref name="label"/> on series matching <paramref name="match"/> (what Grafana's label_values asks).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, string? match)
    {
        string query = match is null ? "" : $"?match[]={Uri.EscapeDataString(match)}";
        using var response = await _http.GetAsync(new Uri($"api/v1/label/{Uri.EscapeDataString(label)}/values{query}", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return body.GetProperty("status").GetString() == "success"
            ? [.. body.GetProperty("data").EnumerateArray().Select(v => v.GetString()!)]
            : throw new Xunit.Sdk.XunitException($"label values of {label} for {match}: {body}");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            _folder.Delete(recursive: true);
        }
        catch (IOException)
        {
            // The temporary folder is cleaned by the OS.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log)
            _log.AppendLine(line);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Prepend("/usr/bin").Select(dir => Path.Combine(dir, program)).FirstOrDefault(File.Exists);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
