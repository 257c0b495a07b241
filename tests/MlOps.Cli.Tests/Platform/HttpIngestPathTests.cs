using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace MlOps.Cli.Tests.Platform;

/// <summary>
/// The path of an app that cannot speak Kafka, from the outside: <c>mlops up</c> as a process, a model registered
/// through the CLI, predictions and outcomes posted as NDJSON with the <c>producer.key</c> that `up` wrote, windows
/// read from the API with the viewer key — every accepted record counted once, every rejected one answered with why.
/// </summary>
public sealed class HttpIngestPathTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-ingest-path-").FullName;
    private readonly TempFiles _files = new();

    public void Dispose()
    {
        _files.Dispose();
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
    public async Task Predictions_and_outcomes_posted_as_ndjson_are_windowed_and_joined_and_bad_lines_say_why()
    {
        var up = await UpProcess.StartAsync(_data);
        await using var _ = up;
        string admin = Key(up, "admin"), viewer = Key(up, "viewer"), producerKey = Key(up, "producer");
        Assert.Equal(up.Bootstrap, File.ReadAllText(Path.Combine(_data, "bootstrap")).Trim());
        string monitoring = _files.Write("monitoring.json", """{ "windowMinutes": 1, "allowedLatenessMinutes": 0 }""");
        await Cli(admin, up, "models", "register", "--name", "churn", "--schema", TempFiles.Example("schema.json"), "--monitoring", monitoring);
        await Cli(admin, up, "models", "register-version", "churn", "--artifact", _files.Write("model.bin", "weights"), "--reference", TempFiles.Example("reference.csv"));

        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-6);
        var reference = File.ReadAllLines(TempFiles.Example("reference.csv")).Skip(1).Select(l => l.Split(',')).ToArray();
        var predictions = new StringBuilder();
        var outcomes = new StringBuilder();
        const int PerWindow = 600;
        for (int w = 0; w < 2; w++)
        {
            for (int i = 0; i < PerWindow; i++)
            {
                string id = $"h-{w}-{i}";
                predictions.Append(Prediction(id, start.AddMinutes(w).AddMilliseconds(i * 100), reference[(w * PerWindow + i) % reference.Length])).Append('\n');
                if (i % 2 == 0)
                    outcomes.Append(CultureInfo.InvariantCulture, $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"churn","timestamp":"{{start.AddMinutes(w).AddMilliseconds(i * 100 + 500):O}}","actual":"{{i % 3 % 2}}"}""").Append('\n');
            }
        }

        // A record with a mistyped feature, then a few events of minute 3 so the watermark passes minutes 0 and 1.
        predictions.Append(Prediction("h-bad", start, reference[0]).Replace("\"tenure_months\":", "\"tenure_months\":\"long\",\"x\":", StringComparison.Ordinal)).Append('\n');
        for (int i = 0; i < 5; i++)
            predictions.Append(Prediction($"h-close-{i}", start.AddMinutes(3).AddSeconds(i), reference[i])).Append('\n');

        using var producer = new HttpClient { BaseAddress = new Uri(up.Url), Timeout = TimeSpan.FromSeconds(60) };
        producer.DefaultRequestHeaders.Add("X-Api-Key", producerKey);
        var answer = await PostAsync(producer, "predictions", predictions.ToString());
        Assert.Equal(2 * PerWindow + 6, answer.Count);
        var rejected = answer.Where(a => a.GetProperty("status").GetString() != "accepted").ToList();
        var bad = Assert.Single(rejected);
        Assert.Equal(2 * PerWindow, bad.GetProperty("index").GetInt32());
        Assert.Equal("wrong_type", bad.GetProperty("reason").GetString());
        Assert.Contains("tenure_months", bad.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var joined = await PostAsync(producer, "outcomes", outcomes.ToString());
        Assert.All(joined, a => Assert.Equal("accepted", a.GetProperty("status").GetString()));

        // The producer key may not read; the viewer key reads the windows.
        using (var refused = await producer.GetAsync(new Uri("/api/monitoring/churn/windows", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using var http = new HttpClient { BaseAddress = new Uri(up.Url), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", viewer);
        string from = Uri.EscapeDataString(start.ToString("O", CultureInfo.InvariantCulture)), to = Uri.EscapeDataString(start.AddMinutes(2).ToString("O", CultureInfo.InvariantCulture));
        List<JsonElement> windows = [];
        await Eventually.HoldsAsync(async () =>
        {
            windows = [.. (await http.GetFromJsonAsync<JsonElement>(new Uri($"/api/monitoring/churn/windows?from={from}&to={to}", UriKind.Relative))).EnumerateArray()];
            return windows.Count == 2 && windows.All(w => w.GetProperty("labelled").GetInt32() == PerWindow / 2);
        }, "both windows closed with their outcomes joined", () => string.Join("\n", windows), TimeSpan.FromSeconds(120));
        Assert.All(windows, w => Assert.Equal(PerWindow, w.GetProperty("rows").GetInt32()));
        Assert.All(windows, w => Assert.Equal("1", w.GetProperty("referenceVersion").GetString()));

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains($"mlops_ingest_records_total{{endpoint=\"predictions\",status=\"accepted\",reason=\"\"}} {2 * PerWindow + 5}", metrics, StringComparison.Ordinal);
        Assert.Contains("mlops_ingest_records_total{endpoint=\"predictions\",status=\"rejected\",reason=\"wrong_type\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mlops_dlq_records_total{reason=\"wrong_type\"", metrics, StringComparison.Ordinal);
    }

    private static string Key(UpProcess up, string role) => File.ReadAllText(up.KeyFiles[role]).Trim();

    private static async Task<List<JsonElement>> PostAsync(HttpClient http, string endpoint, string ndjson)
    {
        using var content = new StringContent(ndjson, Encoding.UTF8, "application/x-ndjson");
        using var response = await http.PostAsync(new Uri($"/api/ingest/{endpoint}", UriKind.Relative), content);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}");
        return [.. JsonDocument.Parse(body).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private static async Task Cli(string key, UpProcess up, params string[] args)
    {
        var (code, output, error) = await CliRunner.Run([.. args, "--registry", up.Url, "--api-key", key]);
        Assert.True(code == 0, $"mlops {string.Join(' ', args)}: exit {code}\n{output}{error}");
    }

    // A row of examples/reference.csv (age, tenure_months, income, plan, region, has_support_ticket) as a prediction.
    private static string Prediction(string id, DateTimeOffset at, string[] row)
    {
        var c = CultureInfo.InvariantCulture;
        string income = row[2].Length == 0 ? "null" : row[2];
        string ticket = row[5].Length == 0 ? "" : $",\"has_support_ticket\":{row[5]}";
        return $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"churn","modelVersion":"1","timestamp":"{{at.ToString("O", c)}}","features":{"age":{{row[0]}},"tenure_months":{{row[1]}},"income":{{income}},"plan":"{{row[3]}}","region":"{{row[4]}}"{{ticket}}},"prediction":"1","score":0.6}""";
    }
}
