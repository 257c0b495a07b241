using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;

namespace MlOps.Monitoring.Tests;

/// <summary>
/// POST /api/ingest/predictions and /outcomes on a real platform and a real Kafka-protocol cluster: each record is
/// judged by the monitor's validator, the accepted ones land on the topics byte for byte (keyed by predictionId), the
/// monitor counts them, and only the producer and admin roles may post.
/// </summary>
[Collection(KafkaCollection.Name)]
public sealed class IngestApiTests(KafkaClusterFixture kafka) : IAsyncLifetime
{
    private readonly string _data = Directory.CreateTempSubdirectory("mlops-ingest-").FullName;
    private readonly string _group = $"ingest-{Guid.NewGuid():N}";
    private MonitorHost? _host;

    private MonitorHost Host => _host ?? throw new InvalidOperationException("Not started.");

    public async Task InitializeAsync()
    {
        foreach (string topic in new[] { "predictions", "outcomes", "dlq" })
            kafka.Cluster.CreateTopic($"{_group}.{topic}", 2);
        _host = await MonitorHost.StartAsync(kafka.Cluster.BootstrapServers, _data, _group,
            // Back-dated traffic: only events move the watermark, however slowly a loaded machine reads them.
            overrides: new Dictionary<string, string?> { ["MlOps:Monitoring:IdleTimeout"] = "00:10:00" });
        await Host.RegisterModelAsync(windowMinutes: 1);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task A_json_array_is_judged_record_by_record_and_the_accepted_ones_reach_the_topic_unchanged()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-3);
        string[] records =
        [
            Prediction("a-1", at, age: "41.5"),
            """{"schemaVersion":1,"predictionId":"a-2","model":"churn","modelVersion":"1","timestamp":"2026-12-01T10:00:00Z","features":{"plan":"basic"},"prediction":"1","score":0.8}""",
            Prediction("a-3", at.AddSeconds(1), age: "\"old\""),
            Prediction("a-4", at.AddSeconds(2), age: "39", model: "no-such-model"),
            Prediction("a-5", at.AddSeconds(3), age: "52"),
        ];
        using var producer = Host.Http("producer");
        using var response = await producer.PostAsync(new Uri("api/ingest/predictions", UriKind.Relative),
            new StringContent("[" + string.Join(",\n", records) + "]", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var items = (await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync())).RootElement.EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3, 4], items.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal(["accepted", "rejected", "rejected", "rejected", "accepted"], items.Select(i => i.GetProperty("status").GetString()));
        Assert.Equal("missing_field", items[1].GetProperty("reason").GetString());
        Assert.Contains("age", items[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("wrong_type", items[2].GetProperty("reason").GetString());
        Assert.Equal("unknown_model", items[3].GetProperty("reason").GetString());
        Assert.False(items[0].TryGetProperty("reason", out _));
        Assert.Equal("2", response.Headers.GetValues("X-MlOps-Accepted").Single());
        Assert.Equal("3", response.Headers.GetValues("X-MlOps-Rejected").Single());

        var landed = Read($"{_group}.predictions", expected: 2);
        Assert.Equal(["a-1", "a-5"], landed.Select(m => m.Message.Key).Order());
        Assert.Equal(records[0], Encoding.UTF8.GetString(landed.Single(m => m.Message.Key == "a-1").Message.Value));
        // Partitioned as every other producer of these topics does (murmur2 of the key): the outcome of a-1, from any
        // client, lands on the same partition.
        Assert.All(landed, m => Assert.Equal(KafkaPartitioner.Murmur2(m.Message.Key, 2), m.Partition.Value));
    }

    [Fact]
    public async Task An_empty_window_list_says_why_in_a_header_and_a_closed_window_has_none()
    {
        using var viewer = Host.Http("viewer");
        using (var empty = await viewer.GetAsync(new Uri("api/monitoring/churn/windows", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
            Assert.Equal("[]", await empty.Content.ReadAsStringAsync());
            string reason = Assert.Single(empty.Headers.GetValues("X-MlOps-Empty-Reason"));
            Assert.Contains("No window of churn closed between", reason, StringComparison.Ordinal);
            Assert.Contains("1-minute windows", reason, StringComparison.Ordinal);
            Assert.Contains("?from=", reason, StringComparison.Ordinal);
        }

        // A window closed by later traffic: listed, and the header is gone.
        var at = DateTimeOffset.UtcNow.AddMinutes(-5);
        using var producer = Host.Http("producer");
        var closers = Enumerable.Range(0, 100).Select(i => $"e-closer-{i}").GroupBy(id => KafkaPartitioner.Murmur2(id, 2)).Select(g => g.First());
        await Post(producer, "predictions", Prediction("e-1", at, age: "41") + "\n" + string.Join("\n", closers.Select(id => Prediction(id, at.AddMinutes(3), age: "40"))), "application/x-ndjson");
        await Eventually.HoldsAsync(async () =>
        {
            using var listed = await viewer.GetAsync(new Uri("api/monitoring/churn/windows", UriKind.Relative));
            return await listed.Content.ReadAsStringAsync() != "[]" && !listed.Headers.Contains("X-MlOps-Empty-Reason");
        }, "the first window closes and is listed without the header", TimeSpan.FromSeconds(90));
    }

    [Fact]
    public async Task Ndjson_outcomes_join_ingested_predictions_and_the_monitor_counts_each_once()
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-4);
        var predictions = new StringBuilder();
        var outcomes = new StringBuilder();
        for (int i = 0; i < 40; i++)
        {
            predictions.Append(Prediction($"n-{i}", at.AddSeconds(i), age: (30 + i).ToString(CultureInfo.InvariantCulture))).Append('\n');
            outcomes.Append(CultureInfo.InvariantCulture, $$"""{"schemaVersion":1,"predictionId":"n-{{i}}","model":"churn","timestamp":"{{at.AddSeconds(i + 30):O}}","actual":"{{i % 2}}"}""").Append("\r\n\n");
        }

        outcomes.Append("{not json\n");

        using var producer = Host.Http("producer");
        using var metrics = Host.Http(null);
        var posted = await Post(producer, "predictions", predictions.ToString(), "application/x-ndjson");
        Assert.All(posted, i => Assert.Equal("accepted", i.GetProperty("status").GetString()));
        Assert.Equal(40, posted.Count);
        // The same batch again (a client retry after a timeout): accepted by Kafka, counted once by the monitor.
        await Post(producer, "predictions", predictions.ToString(), "application/x-ndjson");
        await Eventually.HoldsAsync(async () => MetricsPage.Sum(await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative)), "mlops_duplicate_events_total") >= 40,
            "the monitor has read both batches", () => MetricsPage.Counters(metrics), TimeSpan.FromSeconds(90));

        var answered = await Post(producer, "outcomes", outcomes.ToString(), "application/x-ndjson");
        Assert.Equal(41, answered.Count);
        Assert.Equal(40, answered.Count(i => i.GetProperty("status").GetString() == "accepted"));
        Assert.Equal("not_json", answered[40].GetProperty("reason").GetString());

        // Then predictions far enough ahead to move the watermark past the window of the others (only now: on a
        // loaded machine an earlier one could close the window before the other partition's records were read).
        // One per partition: each partition's watermark must pass the window.
        var closers = Enumerable.Range(0, 100).Select(i => $"n-closer-{i}").GroupBy(id => KafkaPartitioner.Murmur2(id, 2)).Select(g => g.First());
        await Post(producer, "predictions", string.Join("\n", closers.Select(id => Prediction(id, at.AddMinutes(3), age: "40"))), "application/x-ndjson");

        // 40 predictions over 40 s may straddle a minute: one or two windows, then the closer's. Outcomes that come
        // after their window closed are folded into it.
        using var viewer = Host.Http("viewer");
        string from = Uri.EscapeDataString(at.AddMinutes(-2).ToString("O", CultureInfo.InvariantCulture));
        List<JsonElement> windows = [];
        await Eventually.HoldsAsync(async () =>
        {
            var api = JsonDocument.Parse(await viewer.GetStringAsync(new Uri($"api/monitoring/churn/windows?from={from}", UriKind.Relative))).RootElement;
            windows = [.. api.EnumerateArray().Where(w => w.GetProperty("windowStart").GetDateTimeOffset() < at.AddMinutes(2)).Select(w => w.Clone())];
            return windows.Sum(w => w.GetProperty("rows").GetInt32()) == 40 && windows.Sum(w => w.GetProperty("labelled").GetInt32()) == 40;
        }, "the ingested windows close with every outcome joined", () => $"{string.Join(" ", windows)} {MetricsPage.Counters(metrics)}", TimeSpan.FromSeconds(90));

        // The checkpoints that stored them are timed; the consumer's and the store's back-pressure are exported.
        string page = await metrics.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.True(MetricsPage.Sum(page, "mlops_checkpoint_duration_seconds_count") > 0, "no checkpoint was timed");
        Assert.True(MetricsPage.Sum(page, "mlops_checkpoint_duration_seconds_sum") > 0, "the checkpoints took no time");
        Assert.Contains("\nmlops_consumer_backpressure_seconds_total ", page, StringComparison.Ordinal);
        Assert.Contains("\nmlops_checkpoint_wait_seconds_total ", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "predictions", HttpStatusCode.Unauthorized)]
    [InlineData("viewer", "predictions", HttpStatusCode.Forbidden)]
    [InlineData("approver", "outcomes", HttpStatusCode.Forbidden)]
    [InlineData("producer", "predictions", HttpStatusCode.OK)]
    [InlineData("admin", "outcomes", HttpStatusCode.OK)]
    public async Task Only_the_producer_and_admin_roles_may_ingest(string? role, string endpoint, HttpStatusCode expected)
    {
        using var http = Host.Http(role);
        using var response = await http.PostAsync(new Uri($"api/ingest/{endpoint}", UriKind.Relative), new StringContent("[]", Encoding.UTF8, "application/json"));
        Assert.Equal(expected, response.StatusCode);
        if (expected != HttpStatusCode.OK)
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("api/models")]
    [InlineData("api/models/churn")]
    [InlineData("api/monitoring/churn/windows")]
    [InlineData("api/monitoring/churn/examples")]
    [InlineData("api/promotions")]
    [InlineData("api/audit")]
    public async Task A_producer_key_reads_nothing(string path)
    {
        using var producer = Host.Http("producer");
        using var response = await producer.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"predictionId":"x"}""", "application/json", HttpStatusCode.BadRequest, "array")]
    [InlineData("""[{"predictionId":"x"},""", "application/json", HttpStatusCode.BadRequest, "well-formed")]
    [InlineData("""[1] 2""", "application/json", HttpStatusCode.BadRequest, "well-formed")]
    [InlineData("predictionId=x", "application/x-www-form-urlencoded", HttpStatusCode.UnsupportedMediaType, "x-ndjson")]
    [InlineData("hello", "text/plain", HttpStatusCode.UnsupportedMediaType, "x-ndjson")]
    public async Task A_body_that_cannot_be_split_into_records_is_refused_with_a_problem(string body, string contentType, HttpStatusCode expected, string hint)
    {
        using var producer = Host.Http("producer");
        using var response = await producer.PostAsync(new Uri("api/ingest/predictions", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(hint, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_array_is_a_bad_body_even_when_it_holds_exactly_the_most_records_allowed()
    {
        using var producer = Host.Http("producer");
        string body = "[" + string.Join(",", Enumerable.Repeat("1", 10_000)) + " oops";
        using var response = await producer.PostAsync(new Uri("api/ingest/predictions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("well-formed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_records_or_too_many_bytes_are_refused_whole_and_nothing_is_produced()
    {
        using var producer = Host.Http("producer");
        var many = string.Join("\n", Enumerable.Range(0, 10_001).Select(i => Prediction($"many-{i}", DateTimeOffset.UtcNow, "40")));
        using (var response = await producer.PostAsync(new Uri("api/ingest/predictions", UriKind.Relative), new StringContent(many, Encoding.UTF8, "application/x-ndjson")))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("IngestMaxItems", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var huge = new ByteArrayContent(new byte[17 * 1024 * 1024]);
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/x-ndjson");
        using (var response = await producer.PostAsync(new Uri("api/ingest/predictions", UriKind.Relative), huge))
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        Assert.Empty(Read($"{_group}.predictions", expected: 0, wait: TimeSpan.FromSeconds(2)));
    }

    private static string Prediction(string id, DateTimeOffset at, string age, string model = "churn") =>
        string.Create(CultureInfo.InvariantCulture,
            $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{model}}","modelVersion":"1","timestamp":"{{at:O}}","features":{"age":{{age}},"income":52000,"plan":"basic"},"prediction":"1","score":0.7}""");

    private static async Task<List<JsonElement>> Post(HttpClient http, string endpoint, string body, string contentType)
    {
        using var response = await http.PostAsync(new Uri($"api/ingest/{endpoint}", UriKind.Relative), new StringContent(body, Encoding.UTF8, contentType));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Select(e => e.Clone())];
    }

    private List<ConsumeResult<string, byte[]>> Read(string topic, int expected, TimeSpan? wait = null)
    {
        using var consumer = new ConsumerBuilder<string, byte[]>(new ConsumerConfig
        {
            BootstrapServers = kafka.Cluster.BootstrapServers,
            GroupId = $"reader-{Guid.NewGuid():N}",
            AutoOffsetReset = AutoOffsetReset.Earliest,
            EnableAutoCommit = false,
        }).Build();
        consumer.Subscribe(topic);
        var read = new List<ConsumeResult<string, byte[]>>();
        var until = DateTime.UtcNow + (wait ?? TimeSpan.FromSeconds(30));
        while (DateTime.UtcNow < until && (expected == 0 || read.Count < expected))
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(200)) is { Message: not null } result)
                read.Add(result);
        }

        consumer.Close();
        return read;
    }
}
