using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MlOps.Cli.Tests.Platform;

/// <summary>
/// <c>mlops demo</c> with a webhook receiver configured through the environment, as a user sets it: the injected drift
/// reaches a local HTTP listener, correctly signed, once per (model, feature, kind) within the cool-down, and the
/// deliveries that met the listener down are retried until they get through.
/// </summary>
public sealed class DemoAlertTests : IDisposable
{
    private const string Secret = "demo-webhook-secret-0123456789";
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-demo-alerts-").FullName;

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
    public async Task Injected_drift_is_delivered_signed_once_per_feature_and_survives_a_receiver_that_was_down()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.FailNext(2);
        var environment = new Dictionary<string, string>
        {
            ["MLOPS__ALERTS__WEBHOOKS__0__URL"] = receiver.Url,
            ["MLOPS__ALERTS__WEBHOOKS__0__SECRET"] = Secret,
            ["MLOPS__ALERTS__WEBHOOKS__0__KINDS__0"] = "drift",
            ["MLOPS__ALERTS__RETRYBASEDELAY"] = "00:00:01",
        };
        await using var demo = await UpProcess.StartAsync(_data, "demo",
            ["--window-minutes", "0.1", "--drift-after", "10s", "--drift-features", "age,plan,region", "--duration", "60s", "--rate", "300"], environment);

        await Eventually.HoldsAsync(() => receiver.Accepted.Count >= 3, "drift on age, plan and region delivered", TimeSpan.FromSeconds(90));
        // Three more 6-second windows drift on the same features: all inside the one-hour cool-down.
        await Task.Delay(TimeSpan.FromSeconds(20));
        // Once per feature: the drifted ones are there, and no feature twice. (The demo's first window is partial — a few
        // dozen rows — and may flag another feature by chance; that is one more alert, still only once.)
        var accepted = receiver.Accepted;
        var features = accepted.Select(a => JsonDocument.Parse(a.Body).RootElement.GetProperty("feature").GetString()).ToList();
        Assert.True(features.Count == features.Distinct().Count(), string.Join("\n", accepted.Select(a => a.Body)) + "\n" + demo.Output);
        Assert.Subset(features.ToHashSet(), new HashSet<string?> { "age", "plan", "region" });
        Assert.True(receiver.Requests.Count >= 5, $"{receiver.Requests.Count} requests: the first two met a 503 and were retried");
        foreach (var a in accepted)
        {
            Assert.Equal("DriftDetected", a.Event);
            Assert.Equal("sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(a.Body))), a.Signature);
            Assert.Equal("churn-demo", JsonDocument.Parse(a.Body).RootElement.GetProperty("model").GetString());
        }

        Assert.Contains("ALERT drift churn-demo age", demo.Output, StringComparison.Ordinal);
        Assert.Equal(0, (await demo.StopAsync("TERM")).ExitCode);
    }
}
