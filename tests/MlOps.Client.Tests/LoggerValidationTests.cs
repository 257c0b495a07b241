using System.Collections.Concurrent;
using MlOps.Client.Logging;
using MlOps.Contracts;
using MlOps.Contracts.Validation;

namespace MlOps.Client.Tests;

[Collection(ClientPlatformCollection.Name)]
public sealed class LoggerValidationTests(ClientPlatformFixture platform)
{
    [Fact]
    public async Task A_call_that_breaks_the_schema_is_rejected_at_once_with_the_reason_and_not_sent()
    {
        string model = ChurnModels.NewName("reject");
        await ChurnModels.RegisterAsync(platform.Registry.Platform.RegistryAs("admin"), model);
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics);
        options.Models.Add(model);
        await using var logger = new MlOpsLogger(options);
        await logger.StartAsync();

        var unknown = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = 40, ["colour"] = "red" }, "1");
        Assert.Equal(LogStatus.Rejected, unknown.Status);
        Assert.Equal(RejectReason.UnknownFeature, unknown.Reason);
        Assert.Contains("features.colour", unknown.Detail, StringComparison.Ordinal);

        var wrongType = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = "forty" }, "1");
        Assert.Equal(RejectReason.WrongType, wrongType.Reason);
        var missing = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["plan"] = "gold" }, "1");
        Assert.Equal(RejectReason.MissingField, missing.Reason);
        var badClass = logger.LogOutcome(model, "p-1", "maybe");
        Assert.Equal(RejectReason.InvalidValue, badClass.Reason);
        var badScore = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = 40 }, "1", score: 1.5);
        Assert.Equal(RejectReason.InvalidValue, badScore.Reason);
        var unknownModel = logger.LogPrediction(ChurnModels.NewName("nosuch"), "1", new Dictionary<string, Scalar> { ["age"] = 40 }, "1");
        Assert.Equal(LogStatus.Accepted, unknownModel.Status); // not cached yet: checked in the background

        Assert.True(logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = 40 }, "1", predictionId: "good").IsAccepted);
        Assert.Equal(5, logger.Rejected);
        await Eventually.HoldsAsync(() => logger.Delivered == 1 && logger.Rejected == 6, "the good event was delivered and the unknown model rejected", TimeSpan.FromSeconds(60));
        using var reader = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        Assert.Equal("good", Assert.Single(await reader.ReadAsync(1)).Key);
    }

    [Fact]
    public async Task An_event_of_a_model_whose_schema_is_not_cached_is_validated_in_the_background_and_a_rejection_raised()
    {
        string model = ChurnModels.NewName("background");
        await ChurnModels.RegisterAsync(platform.Registry.Platform.RegistryAs("admin"), model);
        var topics = platform.NewTopics();
        await using var logger = new MlOpsLogger(platform.LoggerOptions(topics));
        var notSent = new ConcurrentQueue<EventNotSentEventArgs>();
        logger.EventNotSent += (_, e) => notSent.Enqueue(e);

        // The first call cannot wait for the registry: it is accepted, then checked by the sender.
        var bad = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = 40, ["colour"] = "red" }, "1", predictionId: "bad");
        Assert.Equal(LogStatus.Accepted, bad.Status);
        var good = logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["age"] = 41 }, "0", predictionId: "good");
        Assert.Equal(LogStatus.Accepted, good.Status);
        await Eventually.HoldsAsync(() => !notSent.IsEmpty && logger.Delivered == 1, "the bad event was rejected in the background and the good one delivered", TimeSpan.FromSeconds(60));

        var rejection = Assert.Single(notSent);
        Assert.True(rejection.Rejected);
        Assert.Equal("bad", rejection.PredictionId);
        Assert.Equal(RejectReason.UnknownFeature, rejection.Reason);
        Assert.Equal(1, logger.Rejected);
        Assert.Equal(0, logger.Buffered);

        // Now the schema is cached: the same mistake is answered in the call.
        Assert.Equal(LogStatus.Rejected, logger.LogPrediction(model, "1", new Dictionary<string, Scalar> { ["colour"] = "red", ["age"] = 1 }, "1").Status);
        using var reader = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        Assert.Equal("good", Assert.Single(await reader.ReadAsync(1)).Key);
    }

    [Fact]
    public async Task Events_are_sent_unvalidated_and_counted_when_the_registry_cannot_be_reached()
    {
        var topics = platform.NewTopics();
        var options = platform.LoggerOptions(topics);
        options.RegistryUrl = "http://127.0.0.1:9/"; // discard port: connection refused
        options.RegistryTimeout = TimeSpan.FromSeconds(2);
        options.Models.Add("churn");
        await using var logger = new MlOpsLogger(options);
        Assert.Empty(await logger.StartAsync()); // does not throw

        for (int i = 0; i < 5; i++)
            Assert.True(logger.LogPrediction("churn", "1", new Dictionary<string, Scalar> { ["age"] = i }, "1").IsAccepted);
        await Eventually.HoldsAsync(() => logger.Delivered == 5, "the events were delivered", TimeSpan.FromSeconds(60));
        Assert.Equal(5, logger.Unvalidated);
    }
}
