using System.Text.Json;
using MlOps.Contracts.Retraining;
using MlOps.Storage;
using MlOps.Storage.Retraining;

namespace MlOps.Cli.Simulation;

/// <summary>
/// <c>mlops demo</c>'s view of the retraining saga: prints each new step of the demo model's runs as it happens, and
/// how to approve a pending promotion.
/// </summary>
internal sealed class RetrainingWatcher(Database database, RetrainingStore store, string model, string url, string approverKeyPath, TextWriter output)
{
    private readonly Dictionary<string, int> _printed = [];
    private readonly HashSet<string> _hinted = [];

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
                await PrintNewStepsAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The demo stops.
        }
    }

    internal async Task PrintNewStepsAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<RunRow> runs;
        await using (var c = await database.OpenAsync(cancellationToken))
            runs = await store.ListRunsAsync(c, model, 5);
        foreach (var run in runs.Reverse())
        {
            var history = JsonSerializer.Deserialize<List<RetrainingHistoryEntry>>(run.HistoryJson, JsonOptions) ?? [];
            int seen = _printed.GetValueOrDefault(run.Id);
            foreach (var step in history.Skip(seen))
                output.WriteLine($"{step.At:HH:mm:ss} retraining {model}: {step.State} — {step.Detail}");
            if (run.State == RetrainingStates.AwaitingApproval && run.PromotionId is { } promotion && _hinted.Add(promotion))
                output.WriteLine($"         approve it: mlops promotions approve {promotion} --registry {url} --api-key $(cat {approverKeyPath})");
            _printed[run.Id] = history.Count;
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);
}
