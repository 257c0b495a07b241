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
        await using var up = await UpProcess.StartAsync(_data);
        Assert.All(up.KeyFiles, kv => Assert.Equal(Path.Combine(Path.GetFullPath(_data), $"{kv.Key}.key"), kv.Value));
        Assert.All(up.KeyFiles.Values, file => Assert.True(new FileInfo(file).Length > 16, $"{file} holds a key"));

        var (exitCode, took) = await up.StopAsync(signal);

        Assert.True(exitCode == 0, $"SIG{signal}: exit {exitCode} after {took.TotalSeconds:0.0} s:\n{up.Output}");
    }

    [Fact]
    public async Task A_stop_while_a_challenger_trains_exits_in_time_and_the_next_start_retries_the_lost_attempt_at_once()
    {
        await using (var demo = await UpProcess.StartAsync(_data, "demo", ["--window-minutes", "0.1", "--drift-after", "5s", "--drift-features", "age,plan,region", "--duration", "300s", "--rate", "300"]))
        {
            await Eventually.HoldsAsync(() => demo.Output.Contains("retraining churn-demo: Training — training on", StringComparison.Ordinal), "a retraining run trains", TimeSpan.FromSeconds(120));
            // The trainer is busy (reading examples, cross-validating): the stop must not wait for it.
            var (exitCode, took) = await demo.StopAsync("TERM");
            Assert.True(exitCode == 0, $"exit {exitCode} after {took.TotalSeconds:0.0} s:\n{demo.Output}");
        }

        // The in-memory bus lost the training request with the process: the next start fails that attempt at once.
        // (Or the attempt had failed already, the trainer's registry calls refused as the stopping process closed its
        // port: then the next start sends the next attempt at once, not at the back-off's time.)
        var restarted = DateTimeOffset.UtcNow;
        await using var up = await UpProcess.StartAsync(_data);
        using var http = new HttpClient { BaseAddress = new Uri(up.Url), Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Add("X-Api-Key", File.ReadAllText(up.KeyFiles["viewer"]).Trim());
        string runs = "";
        await Eventually.HoldsAsync(
            async () =>
            {
                runs = await http.GetStringAsync(new Uri("/api/retraining?model=churn-demo", UriKind.Relative));
                return runs.Contains("failed: the request was lost", StringComparison.Ordinal) || RetriedSince(runs, restarted);
            },
            "the lost attempt failed with its reason, or the next attempt was sent",
            () => $"{runs}\n{up.Output}",
            TimeSpan.FromSeconds(30));
        Assert.DoesNotContain("no answer within", runs, StringComparison.Ordinal);
    }

    // Whether a run's history has a step's next attempt ("training: attempt 2 of 3") recorded at or after `since`.
    private static bool RetriedSince(string runs, DateTimeOffset since) =>
        System.Text.Json.JsonDocument.Parse(runs).RootElement.EnumerateArray()
            .SelectMany(r => r.GetProperty("history").EnumerateArray())
            .Any(h => h.GetProperty("at").GetDateTimeOffset() >= since
                && System.Text.RegularExpressions.Regex.IsMatch(h.GetProperty("detail").GetString() ?? "", @"^\w+: attempt [2-9] of \d+$"));
}
