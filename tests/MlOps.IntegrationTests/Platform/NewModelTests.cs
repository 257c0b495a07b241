using System.Globalization;
using System.Net;
using System.Text.Json;
using Confluent.Kafka;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Schemas;

namespace MlOps.IntegrationTests.Platform;

/// <summary>A new user's first minute: register a model through the API, stream at once with a plain producer, read the windows.</summary>
public sealed class NewModelTests
{
    [Fact]
    public async Task Events_sent_a_moment_after_registering_a_model_are_all_counted_none_rejected()
    {
        await using var platform = await TestPlatform.StartAsync();
        await Health.WaitReadyAsync(platform.BaseUrl, "mlops up");
        var admin = platform.Platform.RegistryAs("admin");
        string model = $"fresh-{Guid.NewGuid():N}"[..20];
        await admin.RegisterModelAsync(new RegisterModelRequest
        {
            Name = model,
            Schema = new ModelSchemaBody
            {
                Task = ModelTask.Binary,
                PositiveClass = "1",
                Features = [new FeatureSchema { Name = "x", Type = FeatureType.Numeric }, new FeatureSchema { Name = "c", Type = FeatureType.Categorical }],
            },
            Monitoring = new MonitoringConfig { WindowMinutes = 0.1, AllowedLatenessMinutes = 0 },
        });

        // At once, with a producer that is not ours and JSON written by hand.
        const int count = 300;
        using var producer = new ProducerBuilder<string, string>(new ProducerConfig { BootstrapServers = platform.Platform.BootstrapServers }).Build();
        var now = DateTimeOffset.UtcNow;
        for (int i = 0; i < count; i++)
        {
            string json = string.Create(CultureInfo.InvariantCulture,
                $$"""{"schemaVersion":1,"predictionId":"{{model}}-{{i}}","model":"{{model}}","modelVersion":"1","timestamp":"{{now.AddMilliseconds(i):O}}","features":{"x":{{i % 17}},"c":"{{(i % 2 == 0 ? "a" : "b")}}"},"prediction":"1","score":0.5}""");
            producer.Produce("mlops.predictions", new Message<string, string> { Key = $"{model}-{i}", Value = json });
        }

        producer.Flush(TimeSpan.FromSeconds(30));

        using var viewer = new HttpClient { BaseAddress = platform.BaseUrl };
        viewer.DefaultRequestHeaders.Add("X-Api-Key", platform.Platform.Keys["viewer"]);
        long counted = 0;
        await Eventually.HoldsAsync(async () =>
        {
            using var response = await viewer.GetAsync($"api/monitoring/{model}/windows?from={Uri.EscapeDataString(now.AddMinutes(-5).ToString("O", CultureInfo.InvariantCulture))}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            counted = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.EnumerateArray().Sum(w => w.GetProperty("rows").GetInt64());
            return counted >= count;
        }, "every prediction is counted in a closed window", () => $"{counted} of {count} counted in closed windows",
            // The window closes once the partitions' watermarks pass it: by the clock after IdleTimeout, as nothing follows
            // these events; on the shared platform beside the other tests' traffic that took over a minute in CI once.
            TimeSpan.FromSeconds(150));
        Assert.Equal(count, counted);
    }
}
