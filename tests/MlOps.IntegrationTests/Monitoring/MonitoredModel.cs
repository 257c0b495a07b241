using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Client.Registry;
using MlOps.Contracts;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;
using MlOps.Kafka;

namespace MlOps.IntegrationTests.Monitoring;

/// <summary>
/// A binary churn model in a running platform and the traffic that makes its windows: one-minute windows of
/// back-dated events, sent in one burst (so no partition idles between them and nothing is late), with outcomes.
/// </summary>
public sealed class MonitoredModel(TestPlatform platform, string name)
{
    public string Name { get; } = name;

    /// <summary>Registers the model and version 1 (champion at once); with <paramref name="reference"/>, its training data.</summary>
    public static async Task<MonitoredModel> RegisterAsync(TestPlatform platform, string name, bool reference)
    {
        var admin = platform.Platform.RegistryAs("admin");
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = name,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Classes = ["0", "1"],
                Features = [new FeatureSchema { Name = "age", Type = FeatureType.Numeric }, new FeatureSchema { Name = "plan", Type = FeatureType.Categorical }],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 1, AllowedLatenessMinutes = 0 },
        });
        using var artifact = new MemoryStream([1, 2, 3]);
        using var csv = new MemoryStream(Encoding.UTF8.GetBytes(ReferenceCsv()));
        await admin.RegisterVersionAsync(name, new VersionUpload { Artifact = artifact, ArtifactFileName = "m.bin", ReferenceCsv = reference ? csv : null });
        return new MonitoredModel(platform, name);
    }

    /// <summary>
    /// One window per entry of <paramref name="windows"/>, starting at <paramref name="start"/>: 300 predictions, the
    /// given share of them labelled, the shifted ones 25 years older, mostly on the gold plan and some on a new one.
    /// </summary>
    public void Produce(DateTimeOffset start, params (bool Shifted, double Labelled)[] windows)
    {
        using var producer = KafkaProducers.CreateReliable<string, byte[]>(platform.Platform.BootstrapServers!);
        var random = new Random(7);
        for (int w = 0; w < windows.Length; w++)
        {
            var (shifted, labelled) = windows[w];
            var at = start.AddMinutes(w);
            for (int i = 0; i < 300; i++)
            {
                double age = 40 + 10 * (random.NextDouble() - 0.5) + (shifted ? 25 : 0);
                string plan = shifted && i % 10 == 0 ? "platinum" : random.NextDouble() < (shifted ? 0.2 : 0.7) ? "basic" : "gold";
                double p = 1 / (1 + Math.Exp(-(0.25 * (40 - age) + (plan == "basic" ? 0.8 : -0.8))));
                string id = $"{Name}-w{w}-{i}";
                string prediction = string.Create(CultureInfo.InvariantCulture,
                    $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{Name}}","modelVersion":"1","timestamp":"{{at.AddMilliseconds(i * 150):O}}","features":{"age":{{age:F2}},"plan":"{{plan}}"},"prediction":"{{(p >= 0.5 ? 1 : 0)}}","score":{{p:F4}}}""");
                producer.Produce(Topics.Predictions, new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes(prediction) });
                if (i < labelled * 300)
                {
                    string outcome = string.Create(CultureInfo.InvariantCulture,
                        $$"""{"schemaVersion":1,"predictionId":"{{id}}","model":"{{Name}}","timestamp":"{{at.AddMilliseconds(i * 150 + 50):O}}","actual":"{{(random.NextDouble() < p ? 1 : 0)}}"}""");
                    producer.Produce(Topics.Outcomes, new Message<string, byte[]> { Key = id, Value = Encoding.UTF8.GetBytes(outcome) });
                }
            }
        }

        producer.Flush(TimeSpan.FromSeconds(30));
    }

    /// <summary>The windows API's answer for the last <paramref name="hours"/>, as the page asks for it.</summary>
    public async Task<JsonElement> WindowsAsync(HttpClient viewer, int hours = 6)
    {
        string from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-hours).ToString("O", CultureInfo.InvariantCulture));
        using var response = await viewer.GetAsync(new Uri($"api/monitoring/{Name}/windows?from={from}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Waits until <paramref name="count"/> windows are closed with every row and outcome counted.</summary>
    public async Task<JsonElement> WaitForWindowsAsync(HttpClient viewer, int count, long rows, long labelled)
    {
        JsonElement windows = default;
        await Eventually.HoldsAsync(async () =>
        {
            windows = await WindowsAsync(viewer);
            return windows.GetArrayLength() == count
                && windows.EnumerateArray().Sum(w => w.GetProperty("rows").GetInt64()) == rows
                && windows.EnumerateArray().Sum(w => w.GetProperty("labelled").GetInt64()) == labelled;
        }, $"{count} windows of {Name} are closed with {rows} rows, {labelled} labelled", () => windows.ToString(), TimeSpan.FromSeconds(150));
        return windows;
    }

    // 2000 rows (> 1000: Wasserstein for age, Jensen–Shannon for plan), as the model was trained on.
    private static string ReferenceCsv()
    {
        var random = new Random(1);
        var csv = new StringBuilder("age,plan\n");
        for (int i = 0; i < 2000; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{40 + 10 * (random.NextDouble() - 0.5):F2},{(random.NextDouble() < 0.7 ? "basic" : "gold")}\n");
        return csv.ToString();
    }
}
