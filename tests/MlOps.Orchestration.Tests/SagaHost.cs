using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Hosting.Bus;
using MlOps.Orchestration.Persistence;
using MlOps.Orchestration.Saga;
using MlOps.Storage;
using MlOps.Storage.Retraining;

namespace MlOps.Orchestration.Tests;

/// <summary>
/// The orchestrator's real registration (state machine, Dapper repository on a real database, retry and outbox,
/// sweeper) on MassTransit's test harness, with a scripted trainer and evaluator and a registry/monitor stand-in.
/// </summary>
internal sealed class SagaHost : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private SagaHost(ServiceProvider services, ITestHarness harness, Database database, StubGateway gateway, TrainerScript trainer)
    {
        _services = services;
        Harness = harness;
        Database = database;
        Gateway = gateway;
        Trainer = trainer;
    }

    private static readonly ILoggerFactory SharedLogging = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning));

    public ITestHarness Harness { get; }

    public Database Database { get; }

    public StubGateway Gateway { get; }

    public TrainerScript Trainer { get; }

    public DeadlineSweeper Sweeper => _services.GetRequiredService<DeadlineSweeper>();

    /// <summary>
    /// A host on the test harness; <paramref name="transport"/> is the deployment it stands for: in-memory (embedded, the
    /// trainer in the same process) or RabbitMQ (the trainer another process, whose queue survives the orchestrator).
    /// </summary>
    public static async Task<SagaHost> StartAsync(StorageOptions storage, StubGateway? gateway = null, TrainerScript? trainer = null, BusTransport transport = BusTransport.InMemory)
    {
        gateway ??= new StubGateway();
        trainer ??= new TrainerScript();
        var services = new ServiceCollection()
            // One factory for every host of the test run: MassTransit keeps the first in a static log context, and a
            // disposed one there breaks the next host's bus.
            .AddSingleton(SharedLogging)
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddSingleton(Options.Create(new OrchestrationOptions
            {
                SweepInterval = TimeSpan.FromMilliseconds(100),
                RetryBaseDelay = TimeSpan.FromMilliseconds(200),
                TrainingDeadlineSlack = TimeSpan.FromSeconds(2),
                EvaluationTimeout = TimeSpan.FromSeconds(3),
            }))
            .AddSingleton(Options.Create(new BusOptions { Transport = transport }))
            .AddSingleton(new Database(storage))
            .AddSingleton<RetrainingStore>()
            .AddSingleton<ISagaStore<RetrainingState>, RetrainingSagaStore>()
            .AddSingleton<IRetrainingGateway>(gateway)
            .AddSingleton(trainer)
            .AddSingleton<DeadlineSweeper>()
            .AddMassTransitTestHarness(bus =>
            {
                OrchestrationService.Instance.AddConsumers(bus);
                bus.AddConsumer<ScriptedTrainer>();
                bus.AddConsumer<ScriptedEvaluator>();
            })
            .BuildServiceProvider(true);
        var database = services.GetRequiredService<Database>();
        await database.MigrateAsync();
        var harness = services.GetRequiredService<ITestHarness>();
        harness.TestTimeout = TimeSpan.FromSeconds(30);
        await harness.Start();
        var host = new SagaHost(services, harness, database, gateway, trainer);
        await services.GetRequiredService<DeadlineSweeper>().StartAsync(CancellationToken.None);
        return host;
    }

    public Task PublishAsync<T>(T message) where T : class => Harness.Bus.Publish(message);

    public async Task<IReadOnlyList<RunRow>> RunsAsync(string model)
    {
        await using var c = await Database.OpenAsync();
        return await _services.GetRequiredService<RetrainingStore>().ListRunsAsync(c, model, 100);
    }

    public async Task<RunRow> RunAsync(string model, Func<RunRow, bool> done, string what)
    {
        RunRow? run = null;
        await Eventually.HoldsAsync(async () =>
        {
            run = (await RunsAsync(model)).FirstOrDefault();
            return run is not null && done(run);
        }, what);
        return run!;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.GetRequiredService<DeadlineSweeper>().StopAsync(CancellationToken.None);
        await Harness.Stop();
        await _services.DisposeAsync();
    }
}

/// <summary>What the scripted trainer does with each <see cref="TrainModel"/>: answer, throw, or stay silent.</summary>
internal sealed class TrainerScript
{
    private int _calls;

    public Func<TrainModel, string?> Behaviour { get; set; } = _ => null;

    public int Calls => Volatile.Read(ref _calls);

    public string Next(TrainModel message)
    {
        Interlocked.Increment(ref _calls);
        return Behaviour(message) ?? "answer";
    }
}

internal sealed class ScriptedTrainer(TrainerScript script) : IConsumer<TrainModel>
{
    public async Task Consume(ConsumeContext<TrainModel> context)
    {
        switch (script.Next(context.Message))
        {
            case "throw":
                throw new InvalidOperationException("the trainer ran out of memory");
            case "silent":
                return;
            default:
                await context.Publish(new ModelTrained
                {
                    RunId = context.Message.RunId,
                    Model = context.Message.Model,
                    Version = "2",
                    Trainer = "lightGbm",
                    Rows = new SplitSizes(800, 100, 100),
                    TestMetrics = new Dictionary<string, double> { ["roc_auc"] = 0.91 },
                    Trials = 4,
                });
                break;
        }
    }
}

internal sealed class ScriptedEvaluator : IConsumer<EvaluateChallenger>
{
    public Task Consume(ConsumeContext<EvaluateChallenger> context) =>
        context.Publish(new ChallengerEvaluated
        {
            RunId = context.Message.RunId,
            Model = context.Message.Model,
            ChallengerVersion = context.Message.ChallengerVersion,
            ChampionVersion = context.Message.ChampionVersion,
            Evidence = new PromotionEvidence
            {
                EvaluationData = "test split (100 rows)",
                Challenger = new MetricSet { Version = context.Message.ChallengerVersion, Metrics = { ["roc_auc"] = 0.91 } },
                Champion = new MetricSet { Version = context.Message.ChampionVersion, Metrics = { ["roc_auc"] = 0.84 } },
            },
        });
}

/// <summary>The registry and the monitor as the saga sees them: policies, labelled counts, promotion requests.</summary>
internal sealed class StubGateway : IRetrainingGateway
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), int> _pending = new();
    private int _promotions;

    public RetrainingPolicy Policy { get; set; } = new() { MinLabelledRows = 100, MaxAttempts = 3, TimeBudgetSeconds = 1 };

    public long LabelledRows { get; set; } = 5000;

    public string PromotionState { get; set; } = "pending";

    public int PromotionRequests => Volatile.Read(ref _promotions);

    public Task<ModelPolicies?> GetModelAsync(string model, CancellationToken cancellationToken) =>
        Task.FromResult<ModelPolicies?>(model == "unknown" ? null : new ModelPolicies(Policy, 72, "1"));

    /// <summary>When set, the monitor "does not answer".</summary>
    public bool MonitorDown { get; set; }

    public Task<long> CountLabelledAsync(string model, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        MonitorDown ? throw new HttpRequestException("Connection refused (127.0.0.1:5081)") : Task.FromResult(LabelledRows);

    public Task<PromotionResponse> RequestPromotionAsync(string model, string version, PromotionEvidence evidence, string notes, CancellationToken cancellationToken)
    {
        // Like the registry (and HttpRetrainingGateway's 409 handling): one pending request per model and version.
        int n = _pending.GetOrAdd((model, version), _ => Interlocked.Increment(ref _promotions));
        var now = DateTimeOffset.UtcNow;
        return Task.FromResult(new PromotionResponse($"p-{n}", model, version, "1", PromotionState, "retraining", now, now.AddHours(72), 1, [], evidence, notes,
            PromotionState == "pending" ? null : "auto-approve", PromotionState == "pending" ? null : now, null));
    }

    public Task<PromotionResponse> GetPromotionAsync(string id, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task CancelPromotionAsync(string id, string comment, CancellationToken cancellationToken) => Task.CompletedTask;
}
