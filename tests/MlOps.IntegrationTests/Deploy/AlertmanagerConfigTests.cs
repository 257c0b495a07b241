using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Deploy;

/// <summary>
/// deploy/alertmanager through the real amtool: the config loads, and every case of route-tests.txt reaches exactly
/// its receivers; in a running Alertmanager, a critical alert holds back its warning twin.
/// </summary>
public sealed class AlertmanagerConfigTests
{
    private const string Config = "deploy/alertmanager/alertmanager.yml";
    private const string RouteTests = "deploy/alertmanager/route-tests.txt";

    [Fact]
    public async Task Amtool_accepts_the_Alertmanager_config()
    {
        string output = await DeployTools.RunAsync(DeployTools.Amtool, "check-config", Config);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    public static TheoryData<string, string> RouteCases()
    {
        var cases = new TheoryData<string, string>();
        foreach (string line in File.ReadLines(DeployTools.PathOf(RouteTests)).Select(l => l.Trim()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            int arrow = line.IndexOf("=>", StringComparison.Ordinal);
            if (arrow < 0)
                throw new FormatException($"{RouteTests}: '{line}' is not 'labels => receivers'.");
            cases.Add(line[..arrow].Trim(), line[(arrow + 2)..].Trim());
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(RouteCases))]
    public async Task An_alert_reaches_the_receivers_its_route_test_names(string labels, string receivers)
    {
        string[] arguments =
        [
            "config", "routes", "test", $"--config.file={Config}", $"--verify.receivers={receivers}",
            .. labels.Split(' ', StringSplitOptions.RemoveEmptyEntries),
        ];
        var (exitCode, output) = await DeployTools.TryRunAsync(DeployTools.Amtool, arguments);
        string resolved = output.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)[0];
        Assert.True(exitCode == 0 && resolved == receivers,
            $"{labels}: expected receivers {receivers}, amtool resolved {resolved} (exit {exitCode}):\n{output}");
    }

    [Fact]
    public async Task In_a_running_Alertmanager_a_critical_alert_holds_back_its_warning_twin_and_no_other_alert()
    {
        await using var alertmanager = await RunningAlertmanager.StartAsync(DeployTools.PathOf(Config));
        await alertmanager.PostAsync(
            Alert("MlOpsDatasetDrifted", "warning", "churn"),
            Alert("MlOpsDatasetDrifted", "critical", "churn"),
            Alert("MlOpsDatasetDrifted", "warning", "fraud"),
            Alert("MlOpsFeatureDriftSustained", "warning", "churn"));

        await Eventually.HoldsAsync(async () =>
        {
            var states = await alertmanager.StatesAsync();
            return states.Count == 4
                && states[("MlOpsDatasetDrifted", "warning", "churn")] == "suppressed"
                && states[("MlOpsDatasetDrifted", "critical", "churn")] == "active"
                && states[("MlOpsDatasetDrifted", "warning", "fraud")] == "active"
                && states[("MlOpsFeatureDriftSustained", "warning", "churn")] == "active";
        }, "only churn's MlOpsDatasetDrifted warning is suppressed (inhibited by its critical twin)");
    }

    private static JsonObject Alert(string name, string severity, string model) => new()
    {
        ["labels"] = new JsonObject { ["alertname"] = name, ["severity"] = severity, ["model"] = model, ["version"] = "1" },
        ["annotations"] = new JsonObject { ["summary"] = "test" },
    };

    /// <summary>Debian's prometheus-alertmanager on a free loopback port with its own storage, clustering off.</summary>
    private sealed class RunningAlertmanager : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly DirectoryInfo _storage;
        private readonly HttpClient _http;

        private RunningAlertmanager(Process process, DirectoryInfo storage, int port)
        {
            _process = process;
            _storage = storage;
            _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        }

        public static async Task<RunningAlertmanager> StartAsync(string config)
        {
            int port = FreePort();
            var storage = Directory.CreateTempSubdirectory("mlops-alertmanager-");
            var start = new ProcessStartInfo(DeployTools.Locate(DeployTools.Alertmanager))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (string argument in new[]
            {
                $"--config.file={config}", $"--storage.path={storage.FullName}",
                $"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=",
            })
                start.ArgumentList.Add(argument);
            var process = Process.Start(start)!;
            var log = new StringBuilder();
            process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var alertmanager = new RunningAlertmanager(process, storage, port);
            try
            {
                await Eventually.HoldsAsync(async () =>
                {
                    if (process.HasExited)
                    {
                        lock (log)
                            throw new Xunit.Sdk.XunitException($"prometheus-alertmanager exited with {process.ExitCode}:\n{log}");
                    }

                    try
                    {
                        return (await alertmanager._http.GetAsync(new Uri("-/ready", UriKind.Relative))).IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                }, "Alertmanager is ready");
            }
            catch
            {
                await alertmanager.DisposeAsync();
                throw;
            }

            return alertmanager;
        }

        public async Task PostAsync(params JsonObject[] alerts)
        {
            using var content = new StringContent(new JsonArray([.. alerts]).ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(new Uri("api/v2/alerts", UriKind.Relative), content);
            Assert.True(response.IsSuccessStatusCode, $"POST /api/v2/alerts: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        /// <summary>Each alert's status.state (active, suppressed, unprocessed) by alert name, severity and model.</summary>
        public async Task<Dictionary<(string Name, string Severity, string Model), string>> StatesAsync()
        {
            var alerts = JsonNode.Parse(await _http.GetStringAsync(new Uri("api/v2/alerts", UriKind.Relative)))!.AsArray();
            return alerts.ToDictionary(
                a => ((string)a!["labels"]!["alertname"]!, (string)a["labels"]!["severity"]!, (string)a["labels"]!["model"]!),
                a => (string)a!["status"]!["state"]!);
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
            _storage.Delete(recursive: true);
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
