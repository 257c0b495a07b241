using System.Collections.Concurrent;
using System.Text.Json;
using MlOps.Client.Logging;
using MlOps.Client.Serving;

namespace MlOps.Client.Tests;

[Collection(ClientPlatformCollection.Name)]
public sealed class ChampionModelTests(ClientPlatformFixture platform)
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task The_champion_loads_verified_and_each_prediction_is_logged_with_the_version_that_served_it()
    {
        var (model, admin) = await RegisterWithChampionAsync("serve");
        var topics = platform.NewTopics();
        await using var logger = new MlOpsLogger(platform.LoggerOptions(topics));
        await using var champion = new ChampionModel<ChurnInput, ChurnOutput>(Options(model), logger);
        await champion.StartAsync();

        Assert.Equal("1", champion.Version);
        Assert.Equal((await admin.GetVersionAsync(model, "1")).Artifact.Sha256, champion.Sha256);
        var served = champion.Predict(new ChurnInput { Age = 25, Plan = "basic", Active = 0 }, predictionId: "served-1");
        Assert.Equal("1", served.Version);
        Assert.Contains(served.Prediction.Text, new[] { "0", "1" });
        Assert.InRange(served.Score!.Value, 0, 1);
        Assert.Equal(LogStatus.Accepted, served.Log!.Value.Status);
        var notSent = new ConcurrentQueue<string>();
        logger.EventNotSent += (_, e) => notSent.Enqueue($"{e.Reason}: {e.Detail}");
        await Eventually.HoldsAsync(() => Task.FromResult(logger.Delivered == 1), "the prediction was delivered", () => Counters(logger) + string.Join(" | ", notSent), Generous);

        using var reader = new TopicReader(platform.BootstrapServers, topics.Predictions, ClientPlatformFixture.Partitions);
        var record = Assert.Single(await reader.ReadAsync(1));
        Assert.Equal("served-1", record.Key);
        using var json = JsonDocument.Parse(record.Json);
        var root = json.RootElement;
        Assert.Equal("1", root.GetProperty("modelVersion").GetString());
        Assert.Equal(served.Prediction.Text, root.GetProperty("prediction").GetString());
        // The model reads "active" as a float column; the schema calls it boolean, and so does the event.
        Assert.Equal(JsonValueKind.False, root.GetProperty("features").GetProperty("active").ValueKind);
        Assert.Equal(25, root.GetProperty("features").GetProperty("age").GetDouble());
        Assert.Equal(0, logger.Rejected);
    }

    [Fact]
    public async Task A_tampered_artifact_is_refused_and_the_serving_version_kept()
    {
        var (model, admin) = await RegisterWithChampionAsync("tamper");
        await using var champion = new ChampionModel<ChurnInput, ChurnOutput>(Options(model));
        var failures = new ConcurrentQueue<ModelLoadFailedEventArgs>();
        champion.LoadFailed += (_, e) => failures.Enqueue(e);
        await champion.StartAsync();
        var second = await ChurnModels.AddVersionAsync(admin, model, ChurnModels.Third);

        // Alter the stored bytes of version 2 (same length), as a corrupted disk or a swapped file would.
        string sha = second.Artifact.Sha256;
        string path = Path.Combine(platform.Registry.Folder.FullName, "artifacts", sha[..2], sha);
        byte[] bytes = await File.ReadAllBytesAsync(path);
        bytes[bytes.Length / 2] ^= 0xff;
        await File.WriteAllBytesAsync(path, bytes);

        var refused = await Assert.ThrowsAsync<ModelIntegrityException>(() => champion.ReloadAsync("2"));
        Assert.Equal(sha, refused.ExpectedSha256);
        Assert.Contains("keeping version 1", refused.Message, StringComparison.Ordinal);
        Assert.Equal("1", champion.Version);

        // The same through a promotion on the lifecycle topic.
        await platform.Registry.Platform.PromoteAsync(model, "2", "tampered");
        await Eventually.HoldsAsync(() => failures.Count >= 2, "the promoted, tampered version was refused", Generous);
        Assert.All(failures, f => Assert.IsType<ModelIntegrityException>(f.Error));
        Assert.Equal("1", champion.Version);
        Assert.Equal("1", champion.Predict(new ChurnInput { Age = 50, Plan = "gold", Active = 1 }).Version);
    }

    [Fact]
    public async Task A_promotion_swaps_the_model_under_concurrent_predictions_without_a_failed_prediction()
    {
        var (model, admin) = await RegisterWithChampionAsync("swap");
        await ChurnModels.AddVersionAsync(admin, model, ChurnModels.Second);
        var topics = platform.NewTopics();
        await using var logger = new MlOpsLogger(platform.LoggerOptions(topics));
        await using var champion = new ChampionModel<ChurnInput, ChurnOutput>(Options(model), logger);
        var swaps = new ConcurrentQueue<ModelSwappedEventArgs>();
        champion.Swapped += (_, e) => swaps.Enqueue(e);
        await champion.StartAsync();
        Assert.Equal("1", champion.Version);

        using var stop = new CancellationTokenSource();
        var servedBy = new ConcurrentDictionary<string, int>();
        var errors = new ConcurrentQueue<Exception>();
        long predictions = 0, logged = 0;
        var workers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var random = new Random(w);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var served = champion.Predict(new ChurnInput { Age = random.Next(20, 70), Plan = random.Next(2) == 0 ? "basic" : "gold", Active = random.Next(2) });
                    servedBy.AddOrUpdate(served.Version, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref predictions);
                    if (served.Log?.IsAccepted == true)
                        Interlocked.Increment(ref logged);
                }
                catch (Exception ex)
                {
                    errors.Enqueue(ex);
                }
            }
        })).ToList();

        await Eventually.HoldsAsync(() => servedBy.ContainsKey("1"), "version 1 served under load", Generous);
        await platform.Registry.Platform.PromoteAsync(model, "2", "swap under load");
        await Eventually.HoldsAsync(() => Task.FromResult(champion.Version == "2"), "the promotion swapped version 2 in", () => $"serving {champion.Version}", Generous);
        long atSwap = Interlocked.Read(ref predictions);
        await Eventually.HoldsAsync(() => servedBy.GetValueOrDefault("2") >= 100 && Interlocked.Read(ref predictions) > atSwap + 100, "version 2 served under load", Generous);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        Assert.Empty(errors);
        // The first load, then the promotion.
        Assert.Equal([("1", (string?)null), ("2", "1")], swaps.Select(s => (s.Version, s.PreviousVersion)));
        Assert.True(servedBy["1"] > 0 && servedBy["2"] > 0);
        await Eventually.HoldsAsync(() => logger.Buffered == 0, "every prediction was delivered", Generous);
        Assert.Equal(0, logger.Rejected);
        // Unthrottled workers may outrun the producer and fill the buffer: those drops are counted; every accepted one arrives.
        Assert.Equal(Interlocked.Read(ref predictions), logger.Accepted + logger.Dropped);
        Assert.Equal(Interlocked.Read(ref logged), logger.Delivered);
    }

    private async Task<(string Model, Registry.RegistryClient Admin)> RegisterWithChampionAsync(string purpose)
    {
        string model = ChurnModels.NewName(purpose);
        var admin = platform.Registry.Platform.RegistryAs("admin");
        await ChurnModels.RegisterAsync(admin, model);
        var first = await ChurnModels.AddVersionAsync(admin, model, ChurnModels.First);
        Assert.Contains(ChampionModel<ChurnInput, ChurnOutput>.ChampionAlias, first.Aliases);
        return (model, admin);
    }

    private static string Counters(MlOpsLogger logger) =>
        $"accepted {logger.Accepted}, delivered {logger.Delivered}, rejected {logger.Rejected}, failed {logger.Failed}, unvalidated {logger.Unvalidated}, buffered {logger.Buffered}";

    private ChampionModelOptions Options(string model) => new()
    {
        Model = model,
        RegistryUrl = platform.Registry.Url,
        ApiKey = platform.Registry.Platform.Keys["viewer"],
        BootstrapServers = platform.BootstrapServers,
    };
}
