using Dapper;
using MlOps.Storage.Registry;

namespace MlOps.Storage.Tests;

/// <summary>The store test suite; it runs once on SQLite and once on PostgreSQL.</summary>
public abstract class StoreContract : IAsyncLifetime
{
    private StorageOptions _options = null!;

    protected Database Db { get; private set; } = null!;

    protected abstract Task<StorageOptions> CreateOptionsAsync();

    public async Task InitializeAsync()
    {
        _options = await CreateOptionsAsync();
        Db = new Database(_options);
        await Db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        await TestDatabases.DropAsync(_options);
    }

    [Fact]
    public async Task Migrations_are_idempotent_and_safe_to_run_concurrently()
    {
        Assert.Empty(await Db.MigrateAsync());
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Db.MigrateAsync()));
        Assert.All(results, Assert.Empty);
    }

    [Fact]
    public async Task Concurrent_transactions_of_one_process_all_commit_durable_or_replayable()
    {
        await using (var c = await Db.OpenAsync())
            await c.ExecuteAsync("CREATE TABLE writer_test (n INTEGER NOT NULL)");
        // More writers than SQLite's one: they queue in the process instead of failing or sleeping on the lock.
        await Task.WhenAll(Enumerable.Range(0, 16).Select(n => Task.Run(() => Db.InTransactionAsync(
            async (c, tx) =>
            {
                for (int i = 0; i < 20; i++)
                    await c.ExecuteAsync("INSERT INTO writer_test (n) VALUES (@n)", new { n }, tx);
                return true;
            },
            replayable: n % 2 == 0))));

        await using var read = await Db.OpenAsync();
        Assert.Equal(16 * 20, await read.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM writer_test"));
    }

    [Fact]
    public async Task A_replayable_transaction_leaves_the_next_user_of_the_connection_durable()
    {
        bool inside = await Db.InTransactionAsync(async (c, tx) => await SynchronousAsync(c, tx) == false, replayable: true);
        Assert.True(inside, "the replayable transaction should not wait for the disk");
        // Pooled connections carry settings over: every later transaction is durable again.
        for (int i = 0; i < 3; i++)
            Assert.True(await Db.InTransactionAsync(SynchronousAsync));
    }

    // Whether the commit waits for the disk: SQLite synchronous = FULL (2), PostgreSQL synchronous_commit on.
    private async Task<bool> SynchronousAsync(System.Data.Common.DbConnection c, System.Data.Common.DbTransaction tx) =>
        Db.Provider == StorageProvider.Sqlite
            ? await c.ExecuteScalarAsync<long>("PRAGMA synchronous", transaction: tx) == 2
            : await c.ExecuteScalarAsync<string>("SHOW synchronous_commit", transaction: tx) == "on";

    [Fact]
    public async Task Models_insert_once_and_read_back()
    {
        await using var c = await Db.OpenAsync();
        var models = new ModelStore();
        Assert.True(await models.InsertAsync(c, Model("churn")));
        Assert.False(await models.InsertAsync(c, Model("churn")));
        Assert.True(await models.InsertAsync(c, Model("a-first")));
        var churn = await models.GetAsync(c, "churn");
        Assert.NotNull(churn);
        Assert.Equal("binary", churn.Task);
        Assert.Equal(1_700_000_000_000, churn.CreatedAt);
        Assert.Equal(["a-first", "churn"], (await models.ListAsync(c)).Select(m => m.Name));
        Assert.Null(await models.GetAsync(c, "nope"));
        Assert.True(await models.UpdateAsync(c, new ModelRow { Name = "churn", Description = "new", Owner = "o", MonitoringJson = "{}", PolicyJson = "{\"x\":1}", UpdatedAt = 5 }));
        Assert.Equal("new", (await models.GetAsync(c, "churn"))!.Description);
    }

    [Fact]
    public async Task Versions_are_numbered_per_model_and_listed_without_profiles()
    {
        await using var c = await Db.OpenAsync();
        await new ModelStore().InsertAsync(c, Model("m"));
        await new ModelStore().InsertAsync(c, Model("other"));
        var versions = new VersionStore();
        var numbers = new List<int>();
        foreach (string model in new[] { "m", "m", "other", "m" })
        {
            await using var tx = await c.BeginTransactionAsync();
            numbers.Add(await versions.InsertNextAsync(c, Version(model), tx));
            await tx.CommitAsync();
        }

        Assert.Equal([1, 2, 1, 3], numbers);
        var full = await versions.GetAsync(c, "m", 2);
        Assert.Equal("{\"profile\":true}", full!.ReferenceProfile);
        Assert.Equal(5, full.ParentVersion);
        Assert.Null(full.TrainingTo);
        var list = await versions.ListAsync(c, "m");
        Assert.Equal([3, 2, 1], list.Select(v => v.Version));
        Assert.All(list, v => Assert.Null(v.ReferenceProfile));
        Assert.All(list, v => Assert.Equal(1, v.HasReferenceProfile));
        Assert.Equal(1, full.HasReferenceProfile);
    }

    [Fact]
    public async Task Alias_moves_are_recorded_with_the_previous_version()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "m", versions: 3);
        var aliases = new AliasStore();
        foreach (int v in new[] { 1, 3 })
        {
            await using var tx = await c.BeginTransactionAsync();
            await aliases.MoveAsync(c, new AliasRow { ModelName = "m", Alias = "champion", Version = v, UpdatedBy = "ann", UpdatedAt = v }, $"to {v}", tx);
            await tx.CommitAsync();
        }

        Assert.Equal(3, (await aliases.GetAsync(c, "m", "champion"))!.Version);
        var history = await aliases.HistoryAsync(c, "m", "champion");
        Assert.Equal([(3, 1), (1, (int?)null)], history.Select(h => (h.Version!.Value, h.PreviousVersion)));
        Assert.Single(await aliases.ListAsync(c, "m"));
    }

    [Fact]
    public async Task Alias_to_a_missing_version_is_refused_by_the_database()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "m", versions: 1);
        await using var tx = await c.BeginTransactionAsync();
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            new AliasStore().MoveAsync(c, new AliasRow { ModelName = "m", Alias = "champion", Version = 9, UpdatedBy = "x", UpdatedAt = 1 }, "bad", tx));
    }

    [Fact]
    public async Task A_second_pending_request_for_a_model_is_a_unique_violation()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "m", versions: 2);
        var promotions = new PromotionStore();
        await Insert(c, Promotion("p1", "m", 1));
        var e = await Assert.ThrowsAnyAsync<Exception>(() => Insert(c, Promotion("p2", "m", 2)));
        Assert.True(Database.IsUniqueViolation(e), e.ToString());

        // Once decided, a new request is fine.
        await using (var tx = await c.BeginTransactionAsync())
        {
            Assert.True(await promotions.TransitionAsync(c, "p1", 0, "rejected", "bob", 10, "no", tx));
            await tx.CommitAsync();
        }

        await Insert(c, Promotion("p2", "m", 2));
        Assert.Equal(["p2", "p1"], (await promotions.ListAsync(c, "m", null)).Select(p => p.Id));
        Assert.Equal(["p2"], (await promotions.ListAsync(c, null, "pending")).Select(p => p.Id));
    }

    [Fact]
    public async Task A_stale_row_version_loses_the_transition()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "m", versions: 1);
        await Insert(c, Promotion("p", "m", 1));
        var promotions = new PromotionStore();
        await using var tx = await c.BeginTransactionAsync();
        Assert.True(await promotions.TouchAsync(c, "p", 0, tx));
        Assert.False(await promotions.TransitionAsync(c, "p", 0, "approved", "ann", 1, null, tx));
        Assert.True(await promotions.TransitionAsync(c, "p", 1, "approved", "ann", 1, null, tx));
        Assert.False(await promotions.TransitionAsync(c, "p", 2, "rejected", "bob", 2, null, tx));
        await tx.CommitAsync();
        var row = await promotions.GetAsync(c, "p");
        Assert.Equal(("approved", "ann", 2), (row!.State, row.DecidedBy, row.RowVersion));
    }

    [Fact]
    public async Task Expiry_marks_only_overdue_pending_requests()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "a", versions: 1);
        await Seed(c, "b", versions: 1);
        await Insert(c, Promotion("old", "a", 1, expiresAt: 100));
        await Insert(c, Promotion("new", "b", 1, expiresAt: 10_000));
        await using var tx = await c.BeginTransactionAsync();
        Assert.Equal(["old"], await new PromotionStore().ExpireAsync(c, 5_000, tx));
        await tx.CommitAsync();
        Assert.Equal("expired", (await new PromotionStore().GetAsync(c, "old"))!.State);
        Assert.Equal("pending", (await new PromotionStore().GetAsync(c, "new"))!.State);
    }

    [Fact]
    public async Task An_approver_approves_a_request_once()
    {
        await using var c = await Db.OpenAsync();
        await Seed(c, "m", versions: 1);
        await Insert(c, Promotion("p", "m", 1));
        var promotions = new PromotionStore();
        await using var tx = await c.BeginTransactionAsync();
        Assert.True(await promotions.AddApprovalAsync(c, new ApprovalRow { RequestId = "p", Approver = "ann", Comment = "ok", ApprovedAt = 1 }, tx));
        Assert.False(await promotions.AddApprovalAsync(c, new ApprovalRow { RequestId = "p", Approver = "ann", Comment = "again", ApprovedAt = 2 }, tx));
        Assert.True(await promotions.AddApprovalAsync(c, new ApprovalRow { RequestId = "p", Approver = "bob", ApprovedAt = 3 }, tx));
        await tx.CommitAsync();
        Assert.Equal(["ann", "bob"], (await promotions.ApprovalsAsync(c, "p")).Select(a => a.Approver));
    }

    [Fact]
    public async Task The_audit_log_is_append_only_even_in_sql()
    {
        await using var c = await Db.OpenAsync();
        var audit = new AuditStore();
        await using (var tx = await c.BeginTransactionAsync())
        {
            for (int i = 0; i < 3; i++)
                await audit.AppendAsync(c, new AuditEntry { At = i, Actor = "ann", Action = "model.registered", ModelName = i == 2 ? "x" : "m", Entity = "model", EntityId = "m", AfterJson = "{}" }, tx);
            await tx.CommitAsync();
        }

        var entries = await audit.ListAsync(c, "m");
        Assert.Equal(2, entries.Count);
        Assert.True(entries[0].Id > entries[1].Id);
        Assert.Single(await audit.ListAsync(c, null, beforeId: entries[0].Id));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("UPDATE audit_log SET actor = 'mallory'"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => c.ExecuteAsync("DELETE FROM audit_log"));
        Assert.Equal(3, (await audit.ListAsync(c, null)).Count);
    }

    private static ModelRow Model(string name) => new()
    {
        Name = name,
        Description = "d",
        Owner = "team",
        Task = "binary",
        SchemaJson = "{}",
        CreatedBy = "ann",
        CreatedAt = 1_700_000_000_000,
        UpdatedAt = 1_700_000_000_000,
    };

    private static VersionRow Version(string model) => new()
    {
        ModelName = model,
        ArtifactSha256 = new string('a', 64),
        ArtifactSize = 10,
        ArtifactFileName = "model.zip",
        TrainingFrom = 1,
        ReferenceProfile = "{\"profile\":true}",
        ParentVersion = 5,
        CreatedBy = "ann",
        CreatedAt = 2,
    };

    private static PromotionRow Promotion(string id, string model, int version, long expiresAt = long.MaxValue / 2) => new()
    {
        Id = id,
        ModelName = model,
        Version = version,
        State = "pending",
        RequestedBy = "carl",
        RequestedAt = expiresAt == long.MaxValue / 2 ? id[^1] : 0,
        ExpiresAt = expiresAt,
        ApprovalsRequired = 1,
    };

    private async Task Insert(System.Data.Common.DbConnection c, PromotionRow row)
    {
        await using var tx = await c.BeginTransactionAsync();
        await new PromotionStore().InsertAsync(c, row, tx);
        await tx.CommitAsync();
    }

    private static async Task Seed(System.Data.Common.DbConnection c, string model, int versions)
    {
        await new ModelStore().InsertAsync(c, Model(model));
        for (int i = 0; i < versions; i++)
        {
            await using var tx = await c.BeginTransactionAsync();
            await new VersionStore().InsertNextAsync(c, Version(model), tx);
            await tx.CommitAsync();
        }
    }
}

public sealed class SqliteStoreTests : StoreContract
{
    protected override Task<StorageOptions> CreateOptionsAsync() => Task.FromResult(TestDatabases.NewSqlite());
}

public sealed class PostgresStoreTests : StoreContract
{
    protected override Task<StorageOptions> CreateOptionsAsync() => TestDatabases.NewPostgresSchemaAsync();
}
