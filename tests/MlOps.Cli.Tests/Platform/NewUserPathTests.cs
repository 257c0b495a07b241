using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Confluent.Kafka;

namespace MlOps.Cli.Tests.Platform;

/// <summary>
/// The path a new user takes, end to end and from the outside: <c>mlops up</c> as a process, a model and a version
/// with a reference CSV registered through the CLI, hand-written JSON from a plain Confluent.Kafka producer, results
/// read from the HTTP API and <c>/metrics</c>, then SIGTERM and a restart that still serves every count.
/// </summary>
public sealed class NewUserPathTests : IDisposable
{
    // Each window replays the 2 000 rows of the reference in a new order: unshifted windows have exactly the
    // reference's distribution, so "no drift" is a certainty, not a 95 % chance (Wasserstein at 0.1 on a sample of 400
    // rows flags about one feature in twenty by chance alone, in Evidently too).
    private const int PerWindow = 2000;
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-new-user-").FullName;
    private readonly TempFiles _files = new();
    private readonly string[][] _reference = [.. File.ReadAllLines(TempFiles.Example("reference.csv")).Skip(1).Select(l => l.Split(','))];

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
    public async Task Register_stream_and_read_drift_on_exactly_the_shifted_features_then_backfill_a_second_model()
    {
        var up = await UpProcess.StartAsync(_data);
        await using var _ = up;
        string admin = File.ReadAllText(up.KeyFiles["admin"]).Trim(), viewer = File.ReadAllText(up.KeyFiles["viewer"]).Trim();
        string monitoring = _files.Write("monitoring.json", """{ "windowMinutes": 1, "allowedLatenessMinutes": 0 }""");

        // t: the model and its first version (with the training data as reference) — champion at once.
        await Cli(admin, up, "models", "register", "--name", "churn", "--schema", TempFiles.Example("schema.json"), "--monitoring", monitoring);
        var version = await Cli(admin, up, "models", "register-version", "churn", "--artifact", _files.Write("model.bin", "weights"), "--reference", TempFiles.Example("reference.csv"));
        Assert.Contains("version 1 is the champion of churn", version, StringComparison.Ordinal);
        await Task.Delay(TimeSpan.FromSeconds(1));

        // t + 1 s: four minutes of traffic (event time), the last two with older customers all in one region, then a few
        // events of the next minute so that the watermark passes them; one record of the wrong type.
        var now = DateTimeOffset.UtcNow;
        var start = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddMinutes(-10);
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = up.Bootstrap, Acks = Acks.All }).Build();
        var random = new Random(11);
        int produced = 0;
        Assert.Equal(PerWindow, _reference.Length);
        for (int w = 0; w < 4; w++)
        {
            var order = Enumerable.Range(0, PerWindow).OrderBy(_ => random.Next()).ToList();
            for (int i = 0; i < PerWindow; i++)
                Send(producer, Prediction("churn", $"c-{w}-{i}", start.AddMinutes(w).AddMilliseconds(i * 60_000.0 / PerWindow), random, shifted: w >= 2, order[i]), ref produced);
        }

        for (int i = 0; i < 30; i++)
            Send(producer, Prediction("churn", $"c-close-{i}", start.AddMinutes(4).AddSeconds(i), random, shifted: false), ref produced);
        producer.Produce("mlops.predictions", new Message<string, string> { Key = "bad-1", Value = Prediction("churn", "bad-1", start, random, false).Replace("\"tenure_months\":", "\"tenure_months\":\"long\",\"x\":", StringComparison.Ordinal) });
        producer.Flush(TimeSpan.FromSeconds(30));

        using var http = new HttpClient { BaseAddress = new Uri(up.Url), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Add("X-Api-Key", viewer);
        var windows = await WindowsAsync(http, "churn", start, count: 4);
        Assert.Equal(Enumerable.Repeat((long)PerWindow, 4), windows.Select(w => w.GetProperty("rows").GetInt64()));
        Assert.Equal(produced - 30, windows.Sum(w => w.GetProperty("rows").GetInt64()));
        foreach (var (window, index) in windows.Select((w, i) => (w, i)))
        {
            Assert.Equal("1", window.GetProperty("referenceVersion").GetString());
            Assert.Equal(JsonValueKind.Null, window.GetProperty("notEvaluated").ValueKind);
            var drifted = window.GetProperty("features").EnumerateArray().Where(f => f.GetProperty("drifted").GetBoolean()).Select(f => f.GetProperty("name").GetString()).Order().ToList();
            Assert.True(index < 2 ? drifted.Count == 0 : drifted.SequenceEqual(["age", "region"]), $"window {index}: drifted [{string.Join(", ", drifted)}]\n{window}");
            Assert.Equal(drifted, window.GetProperty("drift").GetProperty("driftedFeatures").EnumerateArray().Select(f => f.GetString()).Order().ToList());
        }

        // A second, new model gets yesterday's log: windowed by its own event time, nothing dropped as late.
        await Cli(admin, up, "models", "register", "--name", "churn-eu", "--schema", TempFiles.Example("schema.json"), "--monitoring", monitoring);
        await Cli(admin, up, "models", "register-version", "churn-eu", "--artifact", _files.Write("model-eu.bin", "weights eu"), "--reference", TempFiles.Example("reference.csv"));
        var yesterday = start.AddDays(-1);
        int backfilled = 0;
        for (int i = 0; i < 2 * PerWindow; i++)
            Send(producer, Prediction("churn-eu", $"eu-{i}", yesterday.AddMilliseconds(i * 60_000.0 / PerWindow), random, shifted: false, i % PerWindow), ref backfilled);
        for (int i = 0; i < 30; i++)
            Send(producer, Prediction("churn-eu", $"eu-close-{i}", yesterday.AddMinutes(2).AddSeconds(i), random, shifted: false), ref backfilled);
        producer.Flush(TimeSpan.FromSeconds(30));
        var backfill = await WindowsAsync(http, "churn-eu", yesterday, count: 2);
        Assert.Equal([(long)PerWindow, PerWindow], backfill.Select(w => w.GetProperty("rows").GetInt64()));
        Assert.Equal(backfilled - 30, backfill.Sum(w => w.GetProperty("rows").GetInt64()));
        Assert.All(backfill, w => Assert.Empty(w.GetProperty("drift").GetProperty("driftedFeatures").EnumerateArray()));

        var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("mlops_dlq_records_total{reason=\"wrong_type\",model=\"churn\"} 1", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("reason=\"unknown_model\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("mlops_late_events_total{model=", metrics, StringComparison.Ordinal);

        // SIGTERM: a clean stop; a restart on the same data folder serves the same windows.
        var (exitCode, took) = await up.StopAsync("TERM");
        Assert.True(exitCode == 0 && took < TimeSpan.FromSeconds(10), $"exit {exitCode} after {took.TotalSeconds:0.0} s:\n{up.Output}");
        await using var again = await UpProcess.StartAsync(_data);
        using var http2 = new HttpClient { BaseAddress = new Uri(again.Url), Timeout = TimeSpan.FromSeconds(10) };
        http2.DefaultRequestHeaders.Add("X-Api-Key", viewer);
        Assert.Equal(windows.Select(w => w.GetProperty("rows").GetInt64()), (await WindowsAsync(http2, "churn", start, count: 4)).Select(w => w.GetProperty("rows").GetInt64()));
        Assert.Equal(0, (await again.StopAsync("INT")).ExitCode);
    }

    private static async Task<string> Cli(string key, UpProcess up, params string[] args)
    {
        var (code, output, error) = await CliRunner.Run([.. args, "--registry", up.Url, "--api-key", key]);
        Assert.True(code == 0, $"mlops {string.Join(' ', args)}: exit {code}\n{output}{error}");
        return output;
    }

    private static void Send(IProducer<string, string> producer, string json, ref int count)
    {
        string id = JsonDocument.Parse(json).RootElement.GetProperty("predictionId").GetString()!;
        producer.Produce("mlops.predictions", new Message<string, string> { Key = id, Value = json });
        count++;
    }

    /// <summary>A prediction written as a user would: a row of the reference data; shifted ones are 25 years older and all in apac.</summary>
    private string Prediction(string model, string id, DateTimeOffset at, Random random, bool shifted, int? index = null)
    {
        var row = _reference[index ?? random.Next(_reference.Length)];
        var c = CultureInfo.InvariantCulture;
        double age = double.Parse(row[0], c) + (shifted ? 25 : 0);
        string income = row[2].Length == 0 ? "null" : row[2];
        string ticket = row[5].Length == 0 ? "" : $",\"has_support_ticket\":{row[5]}";
        return $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","modelVersion":"1","timestamp":"{{at.ToString("O", c)}}","features":{"age":{{age.ToString(c)}},"tenure_months":{{row[1]}},"income":{{income}},"plan":"{{row[3]}}","region":"{{(shifted ? "apac" : row[4])}}"{{ticket}}},"prediction":"{{random.Next(2)}}","score":{{random.NextDouble().ToString("0.###", c)}}}""";
    }

    private static async Task<List<JsonElement>> WindowsAsync(HttpClient http, string model, DateTimeOffset from, int count)
    {
        var path = new Uri($"/api/monitoring/{model}/windows?from={Uri.EscapeDataString(from.ToString("O", CultureInfo.InvariantCulture))}&to={Uri.EscapeDataString(from.AddMinutes(count).ToString("O", CultureInfo.InvariantCulture))}", UriKind.Relative);
        List<JsonElement> windows = [];
        await Eventually.HoldsAsync(async () =>
        {
            windows = [.. (await http.GetFromJsonAsync<JsonElement>(path)).EnumerateArray()];
            return windows.Count >= count;
        }, $"{count} windows of {model} closed", TimeSpan.FromSeconds(120));
        return [.. windows.OrderBy(w => w.GetProperty("windowStart").GetDateTimeOffset())];
    }
}
