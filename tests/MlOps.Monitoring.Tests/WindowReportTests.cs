using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Confluent.Kafka;
using MlOps.Kafka;
using MlOps.Monitoring.Windows;
using MlOps.Storage;
using MlOps.Storage.Monitoring;
using Xunit.Abstractions;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// A closed window keeps its merged feature profiles (stored with its result, in the same transaction that deletes its
/// partials), so its HTML drift report can draw the window's distributions against its reference's; the report
/// endpoint's answers: 200 HTML, 400 and 404 problems.
/// </summary>
[Collection(KafkaCollection.Name)]
public abstract partial class WindowReportTests(KafkaClusterFixture kafka, ITestOutputHelper output) : IAsyncLifetime
{
    private const int Partitions = 3;
    private const int Events = 3000;
    private readonly string _group = $"r{Guid.NewGuid():N}"[..12];
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-window-report-").FullName;
    private readonly DateTimeOffset _base = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60).AddMinutes(-30);
    private StorageOptions _storage = null!;

    protected abstract Task<StorageOptions> CreateStorageAsync(string dataFolder);

    protected abstract Task DropStorageAsync(StorageOptions storage);

    public async Task InitializeAsync() => _storage = await CreateStorageAsync(_data);

    public async Task DisposeAsync()
    {
        await DropStorageAsync(_storage);
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_closed_window_keeps_its_merged_profile_and_its_report_draws_it_with_the_apis_numbers()
    {
        await using var host = await RunTrafficAsync();
        long w0 = _base.ToUnixTimeMilliseconds();
        var row = await ResultAtAsync(host, w0);

        Assert.NotNull(row.Profile);
        var profile = WindowPartialSerializer.DeserializeProfile(row.Profile);
        Assert.Equal(row.Predictions, profile.Rows);
        Assert.Equal(["age", "income", "plan"], profile.Features.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(row.Predictions, profile.Features["age"].Count);
        int json = Statistics.Serialization.ProfileSerializer.Serialize(profile).Length;
        output.WriteLine($"stored profile of a window of {row.Predictions} rows, 3 features: {row.Profile.Length} bytes (JSON {json} bytes)");
        await using (var c = await host.Get<Database>().OpenAsync())
            Assert.DoesNotContain(await host.Get<MonitorStateStore>().LoadClosablePartialsAsync(c, _group, long.MaxValue), p => p.WindowStart == w0);

        using var viewer = host.Http("viewer");
        var windows = JsonDocument.Parse(await viewer.GetStringAsync(new Uri($"api/monitoring/churn/windows?from={Escape(_base.AddMinutes(-1))}&to={Escape(_base.AddMinutes(5))}", UriKind.Relative))).RootElement;
        var window = windows.EnumerateArray().First(w => w.GetProperty("windowStart").GetDateTimeOffset().ToUnixTimeMilliseconds() == w0);
        Assert.Equal($"/api/monitoring/churn/windows/{w0}/report?version=1", window.GetProperty("reportUrl").GetString());

        using var response = await viewer.GetAsync(new Uri(window.GetProperty("reportUrl").GetString()!, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.StartsWith("default-src 'none'; style-src 'unsafe-inline'; img-src data:", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        string html = await response.Content.ReadAsStringAsync();
        var plots = PlotTag().Matches(html).ToDictionary(m => Attribute(m.Value, "data-feature")!, m => m.Value);
        foreach (var feature in window.GetProperty("features").EnumerateArray())
        {
            string plot = plots[feature.GetProperty("name").GetString()!];
            Assert.Equal(feature.GetProperty("statistic").GetDouble(), double.Parse(Attribute(plot, "data-statistic")!, CultureInfo.InvariantCulture));
            Assert.Equal(feature.GetProperty("method").GetString(), Attribute(plot, "data-method"));
        }

        Assert.Equal(3, plots.Count);
        Assert.True(Regex.Count(html, "<rect class=\"bar ") > 20);
        Assert.DoesNotContain("No plot", html, StringComparison.Ordinal);

        // The start exactly as the windows API prints it, escaped, and no version: the one version with a window there.
        string printed = window.GetProperty("windowStart").GetString()!;
        using var byIso = await viewer.GetAsync(new Uri($"api/monitoring/churn/windows/{Uri.EscapeDataString(printed)}/report", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, byIso.StatusCode);
        Assert.Contains($"<h1>Data drift: churn version 1, window {_base.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC</h1>", await byIso.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_report_answers_problems_for_no_window_or_several_versions_and_still_renders_an_old_window()
    {
        await using var host = await RunTrafficAsync();
        long w0 = _base.ToUnixTimeMilliseconds();
        var row = await ResultAtAsync(host, w0);
        // A window of version 2 at the same start, stored by a monitor from before window profiles were kept.
        var database = host.Get<Database>();
        await database.InTransactionAsync(async (c, tx) => await host.Get<MonitorStateStore>().CloseWindowAsync(c, tx, new WindowResultRow
        {
            ConsumerGroup = row.ConsumerGroup,
            Model = row.Model,
            Version = "2",
            WindowStart = row.WindowStart,
            WindowEnd = row.WindowEnd,
            ClosedAt = row.ClosedAt,
            Predictions = row.Predictions,
            Labelled = row.Labelled,
            DriftedShare = row.DriftedShare,
            DatasetDrift = row.DatasetDrift,
            ResultJson = row.ResultJson.Replace("\"version\":\"1\"", "\"version\":\"2\"", StringComparison.Ordinal),
        }));

        using var viewer = host.Http("viewer");
        var several = await ProblemAsync(viewer, $"api/monitoring/churn/windows/{w0}/report", HttpStatusCode.BadRequest);
        Assert.Equal(["1", "2"], several.GetProperty("versions").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("choose one with ?version=", several.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var old = await viewer.GetAsync(new Uri($"api/monitoring/churn/windows/{w0}/report?version=2", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        string html = await old.Content.ReadAsStringAsync();
        Assert.Contains("No distribution plots: this window was stored before window profiles were kept", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"label\">Current rows</span>", html, StringComparison.Ordinal);

        var none = await ProblemAsync(viewer, $"api/monitoring/churn/windows/{Escape(_base.AddHours(-5))}/report", HttpStatusCode.NotFound);
        Assert.Contains("has no closed window that starts at", none.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await ProblemAsync(viewer, $"api/monitoring/churn/windows/{w0}/report?version=9", HttpStatusCode.NotFound);
        await ProblemAsync(viewer, $"api/monitoring/nosuchmodel/windows/{w0}/report", HttpStatusCode.NotFound);
        await ProblemAsync(viewer, "api/monitoring/churn/windows/yesterday/report", HttpStatusCode.BadRequest);
        using var anonymous = host.Http(null);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(new Uri($"api/monitoring/churn/windows/{w0}/report", UriKind.Relative))).StatusCode);
    }

    private static async Task<JsonElement> ProblemAsync(HttpClient http, string url, HttpStatusCode status)
    {
        using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    private async Task<WindowResultRow> ResultAtAsync(MonitorHost host, long start)
    {
        await using var c = await host.Get<Database>().OpenAsync();
        return Assert.Single(await host.Get<MonitorStateStore>().FindResultsAtAsync(c, "churn", start));
    }

    // The test model with its reference; predictions over windows 0 and 1 (1 minute each), then one late event per
    // partition so both close.
    private async Task<MonitorHost> RunTrafficAsync()
    {
        foreach (string topic in new[] { "predictions", "outcomes", "dlq", "lifecycle" })
            kafka.Cluster.CreateTopic($"{_group}.{topic}", Partitions);
        var host = await MonitorHost.StartAsync(kafka.Cluster.BootstrapServers, _data, _group, _storage);
        await host.RegisterModelAsync(windowMinutes: 1);
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(kafka.Cluster.BootstrapServers);
        var random = new Random(3);
        for (int i = 0; i < Events; i++)
            producer.Produce($"{_group}.predictions", MonitorHost.Message(TestModels.Prediction(i, _base.AddMilliseconds(i * (120_000.0 / Events)), random, ageShift: i % 2 == 0 ? 0 : 15)));
        for (int p = 0; p < Partitions; p++)
            producer.Produce(new TopicPartition($"{_group}.predictions", p), MonitorHost.Message(TestModels.Prediction(1_000_000 + p, _base.AddMinutes(10), random)));
        producer.Flush(TimeSpan.FromSeconds(30));
        long w0 = _base.ToUnixTimeMilliseconds(), w1 = _base.AddMinutes(1).ToUnixTimeMilliseconds();
        await Eventually.HoldsAsync(async () => (await host.ResultsAsync()).Count(r => r.WindowStart == w0 || r.WindowStart == w1) == 2, "windows 0 and 1 are closed", TimeSpan.FromSeconds(90));
        return host;
    }

    private static string Escape(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", CultureInfo.InvariantCulture));

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("<svg class=\"plot\"[^>]*>")]
    private static partial Regex PlotTag();
}

public sealed class SqliteWindowReportTests(KafkaClusterFixture kafka, ITestOutputHelper output) : WindowReportTests(kafka, output)
{
    protected override Task<StorageOptions> CreateStorageAsync(string dataFolder) =>
        Task.FromResult(new StorageOptions { ConnectionString = $"Data Source={Path.Combine(dataFolder, "mlops.db")}" });

    protected override Task DropStorageAsync(StorageOptions storage)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}

public sealed class PostgresWindowReportTests(KafkaClusterFixture kafka, ITestOutputHelper output) : WindowReportTests(kafka, output)
{
    protected override Task<StorageOptions> CreateStorageAsync(string dataFolder) => TestDatabases.NewPostgresSchemaAsync();

    protected override Task DropStorageAsync(StorageOptions storage) => TestDatabases.DropAsync(storage);
}
