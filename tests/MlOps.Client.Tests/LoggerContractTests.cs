using System.Text.Json.Serialization;
using MlOps.Client.Logging;
using MlOps.Contracts;

namespace MlOps.Client.Tests;

[Collection(ClientPlatformCollection.Name)]
public sealed class LoggerContractTests(ClientPlatformFixture platform)
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 10, 15, 2, 123, TimeSpan.Zero);

    [Fact]
    public async Task Predictions_and_outcomes_are_the_documented_json_keyed_by_prediction_id_on_the_murmur2_partition()
    {
        string model = ChurnModels.NewName("contract");
        await ChurnModels.RegisterAsync(platform.Registry.Platform.RegistryAs("admin"), model);
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics);
        options.Models.Add(model);
        await using (var logger = new MlOpsLogger(options))
        {
            Assert.Equal([model], await logger.StartAsync());
            var first = logger.LogPrediction(model, "3", new Dictionary<string, object?> { ["age"] = 42, ["plan"] = "gold", ["active"] = null },
                "1", score: 0.73, predictionId: "p-000123", latencyMs: 8.4, tags: new Dictionary<string, string> { ["region"] = "eu" }, timestamp: At);
            Assert.Equal(LogResult.Accepted("p-000123"), first);
            var typed = logger.LogPrediction(model, "3", new TypedFeatures { Age = 30.5, Plan = "basic", Active = true }, "0", timestamp: At);
            Assert.True(typed.IsAccepted, typed.ToString());
            Assert.True(logger.LogOutcome(model, "p-000123", "1", At.AddHours(22)).IsAccepted);
            for (int i = 0; i < 60; i++)
                Assert.True(logger.LogPrediction(model, "3", new Dictionary<string, Scalar> { ["age"] = i }, "0", predictionId: $"key-{i}", timestamp: At).IsAccepted);
        }

        using var predictions = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        var records = await predictions.ReadAsync(62);
        var documented = Assert.Single(records, r => r.Key == "p-000123");
        Assert.Equal(
            """{"schemaVersion":1,"predictionId":"p-000123","model":"MODEL","modelVersion":"3","timestamp":"2026-11-24T10:15:02.123Z","features":{"age":42,"plan":"gold","active":null},"prediction":"1","score":0.73,"latencyMs":8.4,"tags":{"region":"eu"}}""".Replace("MODEL", model, StringComparison.Ordinal),
            documented.Json);
        var fromType = Assert.Single(records, r => r.Key != "p-000123" && !r.Key.StartsWith("key-", StringComparison.Ordinal));
        Assert.Contains("\"features\":{\"age\":30.5,\"plan\":\"basic\",\"active\":true}", fromType.Json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"score\"", fromType.Json, StringComparison.Ordinal);
        Assert.All(records, r => Assert.Equal(Murmur2.Partition(r.Key, ClientPlatformFixture.Partitions), r.Partition));
        // The keys spread over every partition, so the check above compares real choices, not one partition.
        Assert.Equal(ClientPlatformFixture.Partitions, records.Select(r => r.Partition).Distinct().Count());

        using var outcomes = new TopicReader(platform.BootstrapServers, topics.Outcomes, ClientPlatformFixture.Partitions);
        var outcome = Assert.Single(await outcomes.ReadAsync(1));
        Assert.Equal("p-000123", outcome.Key);
        Assert.Equal(documented.Partition, outcome.Partition);
        Assert.Equal($$"""{"schemaVersion":1,"predictionId":"p-000123","model":"{{model}}","timestamp":"2026-11-25T08:15:02.123Z","actual":"1"}""", outcome.Json);
    }

    private sealed class TypedFeatures
    {
        [JsonPropertyName("age")]
        public double Age { get; init; }

        [JsonPropertyName("plan")]
        public string? Plan { get; init; }

        [JsonPropertyName("active")]
        public bool Active { get; init; }
    }
}
