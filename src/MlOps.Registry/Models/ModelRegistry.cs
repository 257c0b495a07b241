using MlOps.Contracts.Retraining;
using MlOps.Contracts.Monitoring;
using MlOps.Contracts.Registry;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MlOps.Contracts.Lifecycle;
using MlOps.Contracts.Schemas;
using MlOps.Registry.Lifecycle;
using MlOps.Statistics.Serialization;
using MlOps.Storage;
using MlOps.Storage.Registry;

namespace MlOps.Registry.Models;

/// <summary>
/// Models, versions and aliases. Every change and its audit entry commit in one transaction; lifecycle events go
/// out after the commit. The <c>champion</c> alias moves only here (rollback) and in <see cref="Promotions.PromotionService"/>.
/// </summary>
public sealed partial class ModelRegistry(
    Database database,
    ArtifactStore artifacts,
    TimeProvider time,
    LifecycleNotifier notifier,
    ModelStore models,
    VersionStore versions,
    AliasStore aliases,
    AuditStore audit)
{
    /// <summary>The alias that serving apps load and the monitor compares against.</summary>
    public const string Champion = "champion";

    private const int MaxNumberingAttempts = 5;

    public async Task<IReadOnlyList<ModelResponse>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var allAliases = (await aliases.ListAllAsync(c)).ToLookup(a => a.ModelName);
        return [.. (await models.ListAsync(c)).Select(m => RegistryResponses.From(m, allAliases[m.Name]))];
    }

    public async Task<ModelResponse> GetAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await RequireModel(c, name);
        return RegistryResponses.From(row, await aliases.ListAsync(c, name));
    }

    public async Task<ModelResponse> RegisterAsync(RegisterModelRequest request, string actor, CancellationToken cancellationToken)
    {
        string name = request.Name?.Trim() ?? "";
        if (!ModelNames.IsValid(name))
            throw RegistryException.Invalid("name", $"Name must be {ModelNames.Rule}.");
        if (request.Schema is null)
            throw RegistryException.Invalid("schema", "A model schema is required (task, features, positive class for binary).");
        if (request.Schema.Model is { } named && named != name)
            throw RegistryException.Invalid("schema.model", $"The schema names model '{named}', but the model is '{name}'.");
        if (request.Schema.Task is null)
            throw RegistryException.Invalid("schema.task", "The task is required: binary, multiclass or regression.");
        var schema = new ModelSchema
        {
            Model = name,
            Task = request.Schema.Task.Value,
            PositiveClass = request.Schema.PositiveClass,
            Classes = request.Schema.Classes,
            Features = request.Schema.Features ?? [],
        };
        var schemaErrors = schema.Validate();
        if (schemaErrors.Count > 0)
            throw RegistryException.Invalid("schema", string.Join("; ", schemaErrors));
        var monitoring = request.Monitoring ?? new MonitoringConfig();
        Validation.Require(monitoring, "monitoring");
        Validation.RequireMonitoring(monitoring, schema);
        var policy = request.Policy ?? new PromotionPolicy();
        Validation.Require(policy, "policy");
        // Data annotations do not recurse into nested objects.
        if (policy.AutoApprove is { } autoApprove)
            Validation.Require(autoApprove, "policy.autoApprove");
        var retraining = request.Retraining ?? new RetrainingPolicy();
        Validation.Require(retraining, "retraining");
        if (retraining.Trainers.FirstOrDefault(t => !RetrainingPolicy.KnownTrainers.Contains(t)) is { } unknownTrainer)
            throw RegistryException.Invalid("retraining.trainers", $"Unknown trainer '{unknownTrainer}' (choose from {string.Join(", ", RetrainingPolicy.KnownTrainers)}).");

        long now = Documents.Millis(time.GetUtcNow());
        var row = new ModelRow
        {
            Name = name,
            Description = request.Description?.Trim() ?? "",
            Owner = request.Owner?.Trim() ?? "",
            Task = JsonNamingPolicy.CamelCase.ConvertName(schema.Task.ToString()),
            SchemaJson = Documents.WriteSchema(schema),
            MonitoringJson = Documents.Write(monitoring, RegistryJsonContext.Default.MonitoringConfig),
            PolicyJson = Documents.Write(policy, RegistryJsonContext.Default.PromotionPolicy),
            RetrainingJson = Documents.Write(retraining, RegistryJsonContext.Default.RetrainingPolicy),
            CreatedBy = actor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await database.InTransactionAsync(async (c, tx) =>
        {
            if (!await models.InsertAsync(c, row, tx))
                throw RegistryException.Conflict($"A model named '{name}' already exists.");
            await Audit(c, tx, actor, "model.registered", name, "model", name, null, JsonSerializer.Serialize(RegistryResponses.From(row, []), RegistryJsonContext.Default.ModelResponse));
            return true;
        }, cancellationToken);
        await notifier.NotifyAsync(new ModelRegistered { Model = name, By = actor, Timestamp = Documents.Time(now) }, cancellationToken);
        return RegistryResponses.From(row, []);
    }

    public async Task<VersionResponse> RegisterVersionAsync(
        string name,
        Stream artifact,
        string artifactFileName,
        RegisterVersionMetadata metadata,
        Stream? referenceCsv,
        byte[]? referenceProfileJson,
        string actor,
        CancellationToken cancellationToken)
    {
        ModelRow model;
        await using (var c = await database.OpenAsync(cancellationToken))
            model = await RequireModel(c, name);
        var schema = Documents.ReadSchema(model.SchemaJson);

        string? profileJson = null;
        if (referenceCsv is not null && referenceProfileJson is not null)
            throw RegistryException.Invalid("reference", "Send either a reference CSV or a reference profile, not both.");
        if (referenceCsv is not null)
        {
            var profile = await ReferenceProfileBuilder.BuildAsync(referenceCsv, schema, cancellationToken);
            profileJson = System.Text.Encoding.UTF8.GetString(ProfileSerializer.Serialize(profile));
        }
        else if (referenceProfileJson is not null)
        {
            try
            {
                var profile = ProfileSerializer.DeserializeDataset(referenceProfileJson);
                var absent = schema.Features.Select(f => f.Name).Where(f => !profile.Features.ContainsKey(f)).ToList();
                if (absent.Count > 0)
                    throw RegistryException.Invalid("referenceProfile", $"The reference profile lacks the feature(s): {string.Join(", ", absent)}.");
                profileJson = System.Text.Encoding.UTF8.GetString(ProfileSerializer.Serialize(profile));
            }
            catch (FormatException e)
            {
                throw RegistryException.Invalid("referenceProfile", e.Message);
            }
        }

        if (metadata.TrainingDataFrom > metadata.TrainingDataTo)
            throw RegistryException.Invalid("trainingDataFrom", "The training data window starts after it ends.");
        if (metadata.Metrics?.Values.Any(v => !double.IsFinite(v)) == true)
            throw RegistryException.Invalid("metrics", "Metrics must be finite numbers.");
        int? parent = metadata.ParentVersion is null ? null : ParseVersion(metadata.ParentVersion, "parentVersion");

        var (sha, size) = await artifacts.SaveAsync(artifact, cancellationToken);
        long now = Documents.Millis(time.GetUtcNow());
        var row = new VersionRow
        {
            ModelName = model.Name,
            ArtifactSha256 = sha,
            ArtifactSize = size,
            ArtifactFileName = UploadFileNames.Safe(artifactFileName, "artifact.bin"),
            TrainingFrom = metadata.TrainingDataFrom is { } from ? Documents.Millis(from) : null,
            TrainingTo = metadata.TrainingDataTo is { } to ? Documents.Millis(to) : null,
            MetricsJson = Documents.WriteMetrics(metadata.Metrics),
            ReferenceProfile = profileJson,
            ParentVersion = parent,
            RunId = metadata.RunId,
            TagsJson = Documents.WriteTags(metadata.Tags),
            CreatedBy = actor,
            CreatedAt = now,
        };
        var policy = Documents.Read(model.PolicyJson, RegistryJsonContext.Default.PromotionPolicy);
        Task<(int Version, bool Champion)> InsertAsync() => database.InTransactionAsync(async (c, tx) =>
        {
            if (parent is { } p && await versions.GetAsync(c, model.Name, p, tx) is null)
                throw RegistryException.Invalid("parentVersion", $"Model '{model.Name}' has no version {p}.");
            int v = await versions.InsertNextAsync(c, row, tx);
            await Audit(c, tx, actor, "version.registered", model.Name, "version", $"{model.Name}/{v}", null,
                AuditJson.Of(
                    ("sha256", sha),
                    ("size", size),
                    ("fileName", row.ArtifactFileName),
                    ("metrics", JsonNode.Parse(row.MetricsJson)),
                    ("runId", row.RunId),
                    ("hasReferenceProfile", profileJson is not null)));
            bool champion = policy.InitialChampion == InitialChampion.Auto && await SetInitialChampionAsync(c, tx, model.Name, v, actor, now);
            return (v, champion);
        }, cancellationToken);

        // Uploads at the same moment read the same MAX(version) on PostgreSQL; the later insert fails on the primary
        // key and takes the next number instead of answering 500.
        int number;
        bool initialChampion;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                (number, initialChampion) = await InsertAsync();
                break;
            }
            catch (DbException e) when (Database.IsUniqueViolation(e))
            {
                if (attempt == MaxNumberingAttempts)
                    throw RegistryException.Conflict($"Other versions of '{model.Name}' were being registered at the same moment; try again.");
            }
        }

        await notifier.NotifyAsync(new ModelVersionRegistered
        {
            Model = model.Name,
            Version = Format(number),
            HasReferenceProfile = profileJson is not null,
            By = actor,
            Timestamp = Documents.Time(now),
        }, cancellationToken);
        if (initialChampion)
        {
            await notifier.NotifyAsync(new ModelPromoted
            {
                Model = model.Name,
                Version = Format(number),
                Initial = true,
                Timestamp = Documents.Time(now),
            }, cancellationToken);
        }

        return await GetVersionAsync(model.Name, number.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    /// <summary>
    /// Makes version <paramref name="version"/> the champion of a model that has none (policy
    /// <c>initialChampion: auto</c>), with its own alias-history and audit entries; false when the model has one.
    /// </summary>
    private async Task<bool> SetInitialChampionAsync(DbConnection c, DbTransaction tx, string model, int version, string actor, long now)
    {
        var alias = new AliasRow { ModelName = model, Alias = Champion, Version = version, UpdatedBy = actor, UpdatedAt = now };
        if (!await aliases.SetIfAbsentAsync(c, alias, "initial champion: the model's first version (initialChampion: auto)", tx))
            return false;
        await Audit(c, tx, actor, "champion.initial", model, "alias", $"{model}/{Champion}", null,
            AuditJson.Of(("version", Format(version)), ("policy", "initialChampion: auto")));
        return true;
    }

    public async Task<IReadOnlyList<VersionResponse>> ListVersionsAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        await RequireModel(c, name);
        var byVersion = (await aliases.ListAsync(c, name)).ToLookup(a => a.Version);
        return [.. (await versions.ListAsync(c, name)).Select(v => RegistryResponses.From(v, byVersion[v.Version]))];
    }

    public async Task<VersionResponse> GetVersionAsync(string name, string version, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await RequireVersion(c, name, version);
        var tags = (await aliases.ListAsync(c, name)).Where(a => a.Version == row.Version);
        return RegistryResponses.From(row, tags);
    }

    public async Task<(Stream Content, string Sha256, string FileName)> OpenArtifactAsync(string name, string version, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await RequireVersion(c, name, version);
        var stream = artifacts.Open(row.ArtifactSha256) ?? throw RegistryException.NotFound($"The artifact {row.ArtifactSha256} of {name} version {version} is missing from the store.");
        return (stream, row.ArtifactSha256, row.ArtifactFileName);
    }

    /// <summary>The reference profile of a version (JSON), or a 404 when it has none.</summary>
    public async Task<string> GetReferenceProfileAsync(string name, string version, CancellationToken cancellationToken)
    {
        await using var c = await database.OpenAsync(cancellationToken);
        var row = await RequireVersion(c, name, version);
        return row.ReferenceProfile ?? throw RegistryException.NotFound($"{name} version {version} has no reference profile.");
    }

    public async Task<AliasResponse> SetAliasAsync(string name, string alias, SetAliasRequest request, string actor, CancellationToken cancellationToken)
    {
        if (string.Equals(alias, Champion, StringComparison.OrdinalIgnoreCase))
            throw RegistryException.Invalid("alias", "The champion alias moves only through an approved promotion (POST /api/promotions) or a rollback (POST /api/models/{name}/rollback).");
        if (!ModelNames.IsValid(alias))
            throw RegistryException.Invalid("alias", "An alias is 1–100 characters: letters, digits, '.', '_' or '-'.");
        int version = ParseVersion(request.Version, "version");
        var row = await database.InTransactionAsync(async (c, tx) =>
        {
            await RequireModel(c, name, tx);
            if (await versions.GetAsync(c, name, version, tx) is null)
                throw RegistryException.Invalid("version", $"Model '{name}' has no version {version}.");
            var moved = new AliasRow { ModelName = name, Alias = alias, Version = version, UpdatedBy = actor, UpdatedAt = Documents.Millis(time.GetUtcNow()) };
            int? previous = await aliases.MoveAsync(c, moved, "set", tx);
            await Audit(c, tx, actor, "alias.set", name, "alias", $"{name}/{alias}", previous is null ? null : AuditJson.Of(("version", Format(previous.Value))), AuditJson.Of(("version", Format(version))));
            return moved;
        }, cancellationToken);
        return new AliasResponse(name, alias, Format(row.Version), row.UpdatedBy, Documents.Time(row.UpdatedAt));
    }

    public async Task<AliasResponse> RollbackAsync(string name, RollbackRequest request, string actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Reason))
            throw RegistryException.Invalid("reason", "A rollback needs a reason: it goes into the audit log.");
        int? requested = request.Version is null ? null : ParseVersion(request.Version, "version");
        var (row, previous) = await database.InTransactionAsync(async (c, tx) =>
        {
            await RequireModel(c, name, tx);
            var current = await aliases.GetAsync(c, name, Champion, tx) ?? throw RegistryException.Conflict($"Model '{name}' has no champion to roll back.");
            int target = requested ?? await PreviousChampion(c, name, current.Version, tx)
                ?? throw RegistryException.Conflict($"Model '{name}' has had no other champion; name the version to roll back to.");
            if (target == current.Version)
                throw RegistryException.Conflict($"Version {target} is already the champion of '{name}'.");
            if (await versions.GetAsync(c, name, target, tx) is null)
                throw RegistryException.Invalid("version", $"Model '{name}' has no version {target}.");
            var moved = new AliasRow { ModelName = name, Alias = Champion, Version = target, UpdatedBy = actor, UpdatedAt = Documents.Millis(time.GetUtcNow()) };
            await aliases.MoveAsync(c, moved, $"rollback: {request.Reason.Trim()}", tx);
            await Audit(c, tx, actor, "champion.rolled_back", name, "alias", $"{name}/{Champion}",
                AuditJson.Of(("version", Format(current.Version))), AuditJson.Of(("version", Format(target)), ("reason", request.Reason.Trim())));
            return (moved, current.Version);
        }, cancellationToken);

        await notifier.NotifyAsync(new ModelRolledBack
        {
            Model = name,
            Version = Format(row.Version),
            RolledBackVersion = Format(previous),
            By = actor,
            Reason = request.Reason.Trim(),
            Timestamp = Documents.Time(row.UpdatedAt),
        }, cancellationToken);
        return new AliasResponse(name, Champion, Format(row.Version), actor, Documents.Time(row.UpdatedAt));
    }

    internal static int ParseVersion(string? version, string field) =>
        int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw RegistryException.Invalid(field, $"'{version}' is not a version number (1, 2, 3, …).");

    internal static string Format(int version) => version.ToString(CultureInfo.InvariantCulture);

    internal async Task<ModelRow> RequireModel(DbConnection c, string name, DbTransaction? tx = null) =>
        await models.GetAsync(c, name, tx) ?? throw RegistryException.NotFound($"No model named '{name}'.");

    internal async Task<VersionRow> RequireVersion(DbConnection c, string name, string version, DbTransaction? tx = null)
    {
        await RequireModel(c, name, tx);
        int v = int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) ? parsed : -1;
        return (v > 0 ? await versions.GetAsync(c, name, v, tx) : null) ?? throw RegistryException.NotFound($"Model '{name}' has no version '{version}'.");
    }

    internal Task Audit(DbConnection c, DbTransaction tx, string actor, string action, string? model, string entity, string entityId, string? before, string? after) =>
        audit.AppendAsync(c, new AuditEntry
        {
            At = Documents.Millis(time.GetUtcNow()),
            Actor = actor,
            Action = action,
            ModelName = model,
            Entity = entity,
            EntityId = entityId,
            BeforeJson = before,
            AfterJson = after,
        }, tx);

    private async Task<int?> PreviousChampion(DbConnection c, string name, int current, DbTransaction tx)
    {
        foreach (var move in await aliases.HistoryAsync(c, name, Champion, tx))
        {
            if (move.Version == current && move.PreviousVersion is { } previous && previous != current)
                return previous;
        }

        return null;
    }
}
