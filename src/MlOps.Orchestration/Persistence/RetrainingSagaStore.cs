using System.Text.Json;
using System.Text.Json.Serialization;
using MlOps.Contracts.Retraining;
using MlOps.Orchestration.Saga;
using MlOps.Storage;
using MlOps.Storage.Retraining;
using Prometheus;

namespace MlOps.Orchestration.Persistence;

/// <summary>
/// Retraining sagas in <c>retraining_sagas</c> (JSON, version-checked) with their current run projected into
/// <c>retraining_runs</c> in the same transaction, so the API never shows a run the saga does not have.
/// </summary>
public sealed class RetrainingSagaStore(Database database, RetrainingStore store, TimeProvider time) : ISagaStore<RetrainingState>
{
    /// <inheritdoc />
    public async Task<RetrainingState?> LoadAsync(Guid correlationId, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await store.LoadAsync(c, correlationId.ToString("N"));
        if (row is null)
            return null;
        var instance = JsonSerializer.Deserialize(row.StateJson, OrchestrationJsonContext.Default.RetrainingState)
            ?? throw new InvalidDataException($"Saga {row.CorrelationId} has an empty state.");
        instance.Version = row.Version;
        instance.CurrentState = row.CurrentState;
        instance.StoredJson = row.StateJson;
        instance.Stored = (instance.RunId, instance.CurrentState);
        return instance;
    }

    /// <inheritdoc />
    public async Task<bool> InsertAsync(RetrainingState instance, CancellationToken cancellationToken) =>
        CountIfEnded(instance, await database.InTransactionAsync(async (c, tx) =>
        {
            instance.Version = 1;
            var row = ToRow(instance);
            if (!await store.InsertAsync(c, row, tx))
                return false;
            instance.StoredJson = row.StateJson;
            await ProjectRunAsync(c, tx, instance);
            return true;
        }, cancellationToken));

    /// <inheritdoc />
    public async Task<bool> UpdateAsync(RetrainingState instance, CancellationToken cancellationToken) =>
        CountIfEnded(instance, await database.InTransactionAsync(async (c, tx) =>
        {
            // An event the state machine ignored (a stale deadline, a duplicate reply) changed nothing: no write, so
            // it cannot make a concurrent, real transition retry.
            var row = ToRow(instance);
            if (row.StateJson == instance.StoredJson)
                return true;
            int expected = instance.Version;
            if (!await store.UpdateAsync(c, row with { Version = expected + 1 }, expected, tx))
                return false;
            instance.Version = expected + 1;
            instance.StoredJson = row.StateJson;
            await ProjectRunAsync(c, tx, instance);
            return true;
        }, cancellationToken));

    /// <summary><c>mlops_retraining_runs_total{model,state}</c>: runs by the final state they ended in (Skipped included).</summary>
    internal static readonly Counter RunsEnded = Metrics.CreateCounter(
        "mlops_retraining_runs_total", "Retraining runs that ended, by final state (Promoted, Rejected, Expired, Failed, Skipped).", "model", "state");

    // After a committed write: a run that reached a final state in this write (not an earlier one) is counted once.
    private static bool CountIfEnded(RetrainingState instance, bool written)
    {
        if (written)
        {
            var now = (instance.RunId, instance.CurrentState);
            if (RetrainingStates.IsFinal(instance.CurrentState) && now != instance.Stored)
                RunsEnded.WithLabels(instance.Model, instance.CurrentState).Inc();
            instance.Stored = now;
        }

        return written;
    }

    /// <inheritdoc />
    public async Task DeleteAsync(RetrainingState instance, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        await store.DeleteAsync(c, instance.CorrelationId.ToString("N"));
    }

    private SagaRow ToRow(RetrainingState s) => new()
    {
        CorrelationId = s.CorrelationId.ToString("N"),
        Model = s.Model,
        Version = s.Version,
        CurrentState = s.CurrentState,
        Deadline = s.Deadline?.ToUnixTimeMilliseconds(),
        StateJson = JsonSerializer.Serialize(s, OrchestrationJsonContext.Default.RetrainingState),
        UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    private Task ProjectRunAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx, RetrainingState s)
    {
        if (s.RunId is not { } runId)
            return Task.CompletedTask;
        return store.UpsertRunAsync(c, new RunRow
        {
            Id = runId.ToString("N"),
            Model = s.Model,
            State = s.CurrentState,
            TriggerKind = s.Trigger,
            Reason = s.Reason,
            ChallengerVersion = s.ChallengerVersion,
            PromotionId = s.PromotionId,
            HistoryJson = JsonSerializer.Serialize(s.History, OrchestrationJsonContext.Default.ListRetrainingHistoryEntry),
            CreatedAt = s.RunCreatedAt.ToUnixTimeMilliseconds(),
            UpdatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        }, tx);
    }

    /// <summary>A stored run as the API shows it.</summary>
    public static RetrainingRunResponse ToResponse(RunRow r) => new(
        r.Id,
        r.Model,
        r.State,
        r.TriggerKind,
        r.Reason,
        r.ChallengerVersion,
        r.PromotionId,
        JsonSerializer.Deserialize(r.HistoryJson, OrchestrationJsonContext.Default.ListRetrainingHistoryEntry) ?? [],
        DateTimeOffset.FromUnixTimeMilliseconds(r.CreatedAt),
        DateTimeOffset.FromUnixTimeMilliseconds(r.UpdatedAt));
}

/// <summary>JSON of stored saga instances.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(RetrainingState))]
[JsonSerializable(typeof(List<RetrainingHistoryEntry>))]
internal sealed partial class OrchestrationJsonContext : JsonSerializerContext;
