using MlOps.Contracts.Registry;
using System.Data.Common;
using System.Text.Json;
using MlOps.Contracts.Lifecycle;
using MlOps.Registry.Lifecycle;
using MlOps.Registry.Models;
using MlOps.Storage;
using MlOps.Storage.Registry;

namespace MlOps.Registry.Promotions;

/// <summary>
/// Promotion requests: request → approvals → the champion moves. Every transition is guarded by the request's row
/// version, so two approvers acting at once cause exactly one transition; the loser gets a 409.
/// </summary>
public sealed class PromotionService(
    Database database,
    TimeProvider time,
    ModelRegistry registry,
    LifecycleNotifier notifier,
    VersionStore versions,
    AliasStore aliases,
    PromotionStore promotions)
{
    /// <summary>The actor recorded when the policy approves on its own.</summary>
    public const string AutoApprover = "auto-approve";

    public async Task<IReadOnlyList<PromotionResponse>> ListAsync(string? model, string? state, CancellationToken cancellationToken)
    {
        if (state is not null && !PromotionStates.All.Contains(state))
            throw RegistryException.Invalid("state", $"Unknown state '{state}' (choose {string.Join(", ", PromotionStates.All)}).");
        await using var c = await database.OpenAsync(cancellationToken);
        var rows = await promotions.ListAsync(c, model, state);
        var result = new List<PromotionResponse>(rows.Count);
        foreach (var row in rows)
            result.Add(ToResponse(row, await promotions.ApprovalsAsync(c, row.Id)));
        return result;
    }

    public async Task<PromotionResponse> GetAsync(string id, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await Require(c, id);
        return ToResponse(row, await promotions.ApprovalsAsync(c, id));
    }

    public async Task<PromotionResponse> RequestAsync(PromotionRequestBody body, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(body.Model))
            throw RegistryException.Invalid("model", "The model to promote is required.");
        int version = ModelRegistry.ParseVersion(body.Version, "version");
        var evidence = body.Evidence ?? new PromotionEvidence();
        ValidateEvidence(evidence);
        var now = time.GetUtcNow();
        string id = Guid.CreateVersion7(now).ToString("N");

        var (row, autoApprove) = await database.InTransactionAsync(async (c, tx) =>
        {
            var model = await registry.RequireModel(c, body.Model, tx);
            if (await versions.GetAsync(c, model.Name, version, tx) is null)
                throw RegistryException.Invalid("version", $"Model '{model.Name}' has no version {version}.");
            var champion = await aliases.GetAsync(c, model.Name, ModelRegistry.Champion, tx);
            if (champion?.Version == version)
                throw RegistryException.Conflict($"Version {version} is already the champion of '{model.Name}'.");
            var policy = Documents.Read(model.PolicyJson, RegistryJsonContext.Default.PromotionPolicy);
            var row = new PromotionRow
            {
                Id = id,
                ModelName = model.Name,
                Version = version,
                ChampionVersion = champion?.Version,
                State = PromotionStates.Pending,
                RequestedBy = actor,
                RequestedAt = Documents.Millis(now),
                ExpiresAt = Documents.Millis(now.AddHours(policy.ExpiryHours)),
                ApprovalsRequired = policy.ApprovalsRequired,
                EvidenceJson = Documents.Write(evidence, RegistryJsonContext.Default.PromotionEvidence),
                Notes = body.Notes?.Trim() ?? "",
            };
            try
            {
                await promotions.InsertAsync(c, row, tx);
            }
            catch (DbException e) when (Database.IsUniqueViolation(e))
            {
                throw RegistryException.Conflict($"Model '{model.Name}' already has a pending promotion request; approve, reject or cancel it first.");
            }

            await registry.Audit(c, tx, actor, "promotion.requested", model.Name, "promotion", id, null,
                AuditJson.Of(("version", ModelRegistry.Format(version)), ("championVersion", champion is null ? null : ModelRegistry.Format(champion.Version)), ("notes", row.Notes)));
            return (row, AutoApproval.Evaluate(policy.AutoApprove, evidence));
        }, cancellationToken);
        await notifier.NotifyAsync(new PromotionRequested
        {
            PromotionId = row.Id,
            Model = row.ModelName,
            Version = ModelRegistry.Format(row.Version),
            ChampionVersion = row.ChampionVersion is { } cv ? ModelRegistry.Format(cv) : null,
            RequestedBy = actor,
            ExpiresAt = Documents.Time(row.ExpiresAt),
            Timestamp = now,
        }, cancellationToken);

        if (autoApprove.Approve)
            return await DecideAsync(id, AutoApprover, autoApprove.Reason, approve: true, fourEyes: false, cancellationToken);
        return await GetAsync(row.Id, cancellationToken);
    }

    public Task<PromotionResponse> ApproveAsync(string id, string? comment, string actor, CancellationToken cancellationToken) =>
        DecideAsync(id, actor, comment, approve: true, fourEyes: true, cancellationToken);

    public Task<PromotionResponse> RejectAsync(string id, string? comment, string actor, CancellationToken cancellationToken) =>
        DecideAsync(id, actor, comment, approve: false, fourEyes: false, cancellationToken);

    public async Task<PromotionResponse> CancelAsync(string id, string? comment, string actor, bool isAdmin, CancellationToken cancellationToken)
    {
        var row = await database.InTransactionAsync(async (c, tx) =>
        {
            var row = await RequirePending(c, id, tx);
            if (row.RequestedBy != actor && !isAdmin)
                throw RegistryException.Forbidden("Only the requester or an admin may cancel a promotion request.");
            await Transition(c, tx, row, PromotionStates.Cancelled, actor, comment);
            return row;
        }, cancellationToken);
        await NotifyDecidedAsync(row, PromotionStates.Cancelled, actor, comment, cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    /// <summary>Marks every pending request past its expiry as expired; returns how many.</summary>
    public async Task<int> ExpireDueAsync(CancellationToken cancellationToken)
    {
        var expired = await database.InTransactionAsync(async (c, tx) =>
        {
            var ids = await promotions.ExpireAsync(c, Documents.Millis(time.GetUtcNow()), tx);
            var rows = new List<PromotionRow>(ids.Count);
            foreach (string id in ids)
            {
                var row = await promotions.GetAsync(c, id, tx);
                await registry.Audit(c, tx, "system", "promotion.expired", row?.ModelName, "promotion", id, AuditJson.Of(("state", PromotionStates.Pending)), AuditJson.Of(("state", PromotionStates.Expired)));
                if (row is not null)
                    rows.Add(row);
            }

            return rows;
        }, cancellationToken);
        foreach (var row in expired)
            await NotifyDecidedAsync(row, PromotionStates.Expired, "system", null, cancellationToken);
        return expired.Count;
    }

    private Task NotifyDecidedAsync(PromotionRow row, string state, string actor, string? comment, CancellationToken cancellationToken) =>
        notifier.NotifyAsync(new PromotionDecided
        {
            PromotionId = row.Id,
            Model = row.ModelName,
            Version = ModelRegistry.Format(row.Version),
            State = state,
            DecidedBy = actor,
            Comment = comment,
            Timestamp = time.GetUtcNow(),
        }, cancellationToken);

    private async Task<PromotionResponse> DecideAsync(string id, string actor, string? comment, bool approve, bool fourEyes, CancellationToken cancellationToken)
    {
        var (decided, promoted) = await database.InTransactionAsync(async (c, tx) =>
        {
            var row = await RequirePending(c, id, tx);
            if (!approve)
            {
                await Transition(c, tx, row, PromotionStates.Rejected, actor, comment);
                return (row, (ModelPromoted?)null);
            }

            var model = await registry.RequireModel(c, row.ModelName, tx);
            var policy = Documents.Read(model.PolicyJson, RegistryJsonContext.Default.PromotionPolicy);
            if (fourEyes && policy.FourEyes && row.RequestedBy == actor)
                throw RegistryException.Forbidden("Four-eyes policy: the requester may not approve their own promotion request.");
            long now = Documents.Millis(time.GetUtcNow());
            if (!await promotions.AddApprovalAsync(c, new ApprovalRow { RequestId = id, Approver = actor, Comment = comment?.Trim() ?? "", ApprovedAt = now }, tx))
                throw RegistryException.Conflict($"{actor} has already approved this request.");
            var approvals = await promotions.ApprovalsAsync(c, id, tx);
            if (approvals.Count < row.ApprovalsRequired)
            {
                if (!await promotions.TouchAsync(c, id, row.RowVersion, tx))
                    throw RegistryException.Conflict("The request changed while you approved it; reload and try again.");
                await registry.Audit(c, tx, actor, "promotion.approval_added", row.ModelName, "promotion", id, null,
                    AuditJson.Of(("approvals", approvals.Count), ("required", row.ApprovalsRequired), ("comment", comment)));
                return ((PromotionRow?)null, (ModelPromoted?)null);
            }

            await Transition(c, tx, row, PromotionStates.Approved, actor, comment);
            var moved = new AliasRow { ModelName = row.ModelName, Alias = ModelRegistry.Champion, Version = row.Version, UpdatedBy = actor, UpdatedAt = now };
            int? previous = await aliases.MoveAsync(c, moved, $"promotion {id}", tx);
            await registry.Audit(c, tx, actor, "champion.promoted", row.ModelName, "alias", $"{row.ModelName}/{ModelRegistry.Champion}",
                previous is null ? null : AuditJson.Of(("version", ModelRegistry.Format(previous.Value))),
                AuditJson.Of(("version", ModelRegistry.Format(row.Version)), ("promotionId", id)));
            return ((PromotionRow?)row, new ModelPromoted
            {
                Model = row.ModelName,
                Version = ModelRegistry.Format(row.Version),
                PreviousVersion = previous is null ? null : ModelRegistry.Format(previous.Value),
                PromotionId = id,
                ApprovedBy = [.. approvals.Select(a => a.Approver)],
                Timestamp = Documents.Time(now),
            });
        }, cancellationToken);

        if (decided is not null)
            await NotifyDecidedAsync(decided, approve ? PromotionStates.Approved : PromotionStates.Rejected, actor, comment, cancellationToken);
        if (promoted is not null)
            await notifier.NotifyAsync(promoted, cancellationToken);
        return await GetAsync(id, cancellationToken);
    }

    private async Task Transition(DbConnection c, DbTransaction tx, PromotionRow row, string state, string actor, string? comment)
    {
        if (!await promotions.TransitionAsync(c, row.Id, row.RowVersion, state, actor, Documents.Millis(time.GetUtcNow()), comment?.Trim(), tx))
            throw RegistryException.Conflict("The request was decided by someone else at the same moment; reload to see its state.");
        string action = state switch
        {
            PromotionStates.Approved => "promotion.approved",
            PromotionStates.Rejected => "promotion.rejected",
            _ => "promotion.cancelled",
        };
        await registry.Audit(c, tx, actor, actor == AutoApprover ? "promotion.auto_approved" : action, row.ModelName, "promotion", row.Id,
            AuditJson.Of(("state", PromotionStates.Pending)), AuditJson.Of(("state", state), ("comment", comment)));
    }

    private async Task<PromotionRow> Require(DbConnection c, string id, DbTransaction? tx = null) =>
        await promotions.GetAsync(c, id, tx) ?? throw RegistryException.NotFound($"No promotion request '{id}'.");

    private async Task<PromotionRow> RequirePending(DbConnection c, string id, DbTransaction tx)
    {
        var row = await Require(c, id, tx);
        if (row.State != PromotionStates.Pending)
            throw RegistryException.Conflict($"The request is {row.State}, not pending.");
        if (row.ExpiresAt <= Documents.Millis(time.GetUtcNow()))
            throw RegistryException.Conflict($"The request expired at {Documents.Time(row.ExpiresAt):u}.");
        return row;
    }

    private static void ValidateEvidence(PromotionEvidence evidence)
    {
        foreach (var (name, set) in new[] { ("challenger", evidence.Challenger), ("champion", evidence.Champion), ("recentTraffic.challenger", evidence.RecentTraffic?.Challenger), ("recentTraffic.champion", evidence.RecentTraffic?.Champion) })
        {
            if (set is not null && (set.Metrics is null || set.Metrics.Values.Any(v => !double.IsFinite(v))))
                throw RegistryException.Invalid($"evidence.{name}.metrics", "Metrics must be an object of finite numbers.");
        }
    }

    private static PromotionResponse ToResponse(PromotionRow row, IReadOnlyList<ApprovalRow> approvals) => new(
        row.Id,
        row.ModelName,
        ModelRegistry.Format(row.Version),
        row.ChampionVersion is { } cv ? ModelRegistry.Format(cv) : null,
        row.State,
        row.RequestedBy,
        Documents.Time(row.RequestedAt),
        Documents.Time(row.ExpiresAt),
        row.ApprovalsRequired,
        [.. approvals.Select(a => new ApprovalResponse(a.Approver, a.Comment, Documents.Time(a.ApprovedAt)))],
        JsonSerializer.Deserialize(row.EvidenceJson, RegistryJsonContext.Default.PromotionEvidence) ?? new PromotionEvidence(),
        row.Notes,
        row.DecidedBy,
        row.DecidedAt is { } d ? Documents.Time(d) : null,
        row.DecisionComment);
}
