using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MlOps.Registry.Promotions;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>The model's promotion policy: four-eyes, several approvals, expiry and auto-approval.</summary>
public abstract class ApprovalPolicyContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task Approve_by_requester_is_forbidden_under_four_eyes()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        var problem = await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Carl, id, "approve"), HttpStatusCode.Forbidden);

        Assert.Contains("four-eyes", (string?)problem["detail"], StringComparison.OrdinalIgnoreCase);
        var request = await Registry.PromotionAsync(id);
        Assert.Equal("pending", (string?)request["state"]);
        Assert.Empty(request["approvals"]!.AsArray());
        Assert.Null(await Registry.ChampionAsync("churn"));
        Assert.Equal("approved", (string?)(await Registry.ApproveAsync(Callers.Ann, id))["state"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task An_admin_requester_is_bound_by_four_eyes_too()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Root, "churn", "1"));

        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Root, id, "approve"), HttpStatusCode.Forbidden);
        Assert.Equal("approved", (string?)(await Registry.ApproveAsync(Callers.Bob, id))["state"]);
    }

    [Fact]
    public async Task Without_four_eyes_the_requester_may_approve_their_own_request()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: new { fourEyes = false });
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        var approved = await Registry.ApproveAsync(Callers.Carl, id);

        Assert.Equal("approved", (string?)approved["state"]);
        Assert.Equal(Callers.Carl, (string?)approved["decidedBy"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task With_two_approvals_required_the_first_keeps_it_pending_and_the_second_moves_the_champion()
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: new { approvalsRequired = 2 });
        string first = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        await Registry.ApproveAsync(Callers.Ann, first);
        await Registry.ApproveAsync(Callers.Bob, first);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));

        var once = await Registry.ApproveAsync(Callers.Ann, id, "fine by me");

        Assert.Equal("pending", (string?)once["state"]);
        Assert.Equal(2, (int?)once["approvalsRequired"]);
        Assert.Equal([Callers.Ann], once["approvals"]!.AsArray().Select(a => (string?)a!["approver"]));
        Assert.Null(once["decidedBy"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));

        var twice = await Registry.ApproveAsync(Callers.Bob, id);

        Assert.Equal("approved", (string?)twice["state"]);
        Assert.Equal(Callers.Bob, (string?)twice["decidedBy"]);
        Assert.Equal([Callers.Ann, Callers.Bob], twice["approvals"]!.AsArray().Select(a => (string?)a!["approver"]).Order());
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
        var audit = await Registry.AuditAsync("churn");
        var added = audit.Where(e => (string?)e["action"] == "promotion.approval_added" && (string?)e["entityId"] == id).Single();
        Assert.Equal(Callers.Ann, (string?)added["actor"]);
        Assert.Equal(1, (int?)added["after"]!["approvals"]);
        Assert.Equal(2, (int?)added["after"]!["required"]);
    }

    [Fact]
    public async Task The_same_approver_approving_twice_is_409_when_two_approvals_are_required()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: new { approvalsRequired = 2 });
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        await Registry.ApproveAsync(Callers.Ann, id);

        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Ann, id, "approve"), HttpStatusCode.Conflict);

        var request = await Registry.PromotionAsync(id);
        Assert.Equal("pending", (string?)request["state"]);
        Assert.Single(request["approvals"]!.AsArray());
        Assert.Null(await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task Approving_after_expiry_is_409_even_before_the_sweep_has_run()
    {
        // A registry whose sweep waits a day, so only the request itself can notice the expiry.
        await using var slowSweep = await IsolatedRegistry.StartAsync(Provider, [new("MlOps:Registry:ExpirySweepInterval", "1.00:00:00")]);
        var registry = slowSweep.Driver;
        await registry.SeedModelAsync("churn", versions: 1, policy: new { expiryHours = 2 });
        string id = RegistryDriver.Id(await registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        slowSweep.App.Time.Advance(TimeSpan.FromHours(1));
        Assert.Equal("pending", (string?)(await registry.PromotionAsync(id))["state"]);

        slowSweep.App.Time.Advance(TimeSpan.FromHours(1));

        var problem = await HttpAssert.ProblemAsync(await registry.DecideAsync(Callers.Ann, id, "approve"), HttpStatusCode.Conflict);
        Assert.Contains("expired", (string?)problem["detail"], StringComparison.OrdinalIgnoreCase);
        await HttpAssert.ProblemAsync(await registry.DecideAsync(Callers.Bob, id, "reject"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await registry.DecideAsync(Callers.Carl, id, "cancel"), HttpStatusCode.Conflict);
        Assert.Empty((await registry.PromotionAsync(id))["approvals"]!.AsArray());
        Assert.Null(await registry.ChampionAsync("churn"));

        Assert.Equal(1, await slowSweep.App.Services.GetRequiredService<PromotionService>().ExpireDueAsync(CancellationToken.None));

        var request = await registry.PromotionAsync(id);
        Assert.Equal("expired", (string?)request["state"]);
        Assert.Equal(slowSweep.App.Time.GetUtcNow(), DateTimeOffset.Parse((string)request["decidedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
        var expired = Assert.Single(await registry.AuditAsync("churn"), e => (string?)e["action"] == "promotion.expired");
        Assert.Equal("system", (string?)expired["actor"]);
        Assert.Equal(id, (string?)expired["entityId"]);
        Assert.Equal("pending", (string?)expired["before"]!["state"]);
        Assert.Equal("expired", (string?)expired["after"]!["state"]);
        await HttpAssert.ProblemAsync(await registry.DecideAsync(Callers.Ann, id, "approve"), HttpStatusCode.Conflict);
        Assert.Equal(0, await slowSweep.App.Services.GetRequiredService<PromotionService>().ExpireDueAsync(CancellationToken.None));
        await HttpAssert.JsonAsync(await registry.PostPromotionAsync(Callers.Carl, "churn", "1"), HttpStatusCode.Created);
    }

    [Fact]
    public async Task The_background_sweep_expires_overdue_requests_as_the_clock_moves()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: new { expiryHours = 1 });
        await Registry.SeedModelAsync("fraud", versions: 1, policy: new { expiryHours = 48 });
        string churn = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        string fraud = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "fraud", "1"));
        App.Time.Advance(TimeSpan.FromMinutes(59));

        // The sweep ticks on the fake clock every minute; keep the clock moving until it has run.
        await Eventually.HoldsAsync(
            async () =>
            {
                App.Time.Advance(TimeSpan.FromMinutes(1));
                return (string?)(await Registry.PromotionAsync(churn))["state"] == "expired";
            },
            "the sweep marks the overdue request expired");

        Assert.True(App.Time.GetUtcNow() < RegistryApp.Start.AddHours(48));
        Assert.Equal("pending", (string?)(await Registry.PromotionAsync(fraud))["state"]);
        Assert.Single(await Registry.AuditAsync("churn"), e => (string?)e["action"] == "promotion.expired");
    }

    [Fact]
    public async Task A_clear_win_is_auto_approved_and_moves_the_champion()
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: AutoApprove);
        await Registry.PromoteAsync("churn", "1");

        var request = await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2", Samples.Evidence(
            challenger: new() { ["roc_auc"] = 0.93, ["log_loss"] = 0.305, ["recall"] = 0.70 },
            champion: new() { ["roc_auc"] = 0.90, ["log_loss"] = 0.300, ["recall"] = 0.71 }));

        Assert.Equal("approved", (string?)request["state"]);
        Assert.Equal(PromotionService.AutoApprover, (string?)request["decidedBy"]);
        Assert.Contains("roc_auc", (string?)request["decisionComment"], StringComparison.Ordinal);
        Assert.Equal([PromotionService.AutoApprover], request["approvals"]!.AsArray().Select(a => (string?)a!["approver"]));
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
        var audit = await Registry.AuditAsync("churn");
        Assert.Equal(PromotionService.AutoApprover, (string?)audit.Single(e => (string?)e["action"] == "promotion.auto_approved")["actor"]);
        Assert.Equal(PromotionService.AutoApprover, (string?)audit.Last(e => (string?)e["action"] == "champion.promoted")["actor"]);
    }

    public static TheoryData<string, Dictionary<string, double>> NotClearWins => new()
    {
        { "a guard-rail worse beyond its tolerance", new() { ["roc_auc"] = 0.93, ["log_loss"] = 0.33, ["recall"] = 0.71 } },
        { "a lower-is-better guard-rail just past it", new() { ["roc_auc"] = 0.93, ["log_loss"] = 0.3101, ["recall"] = 0.71 } },
        { "a second guard-rail worse beyond its tolerance", new() { ["roc_auc"] = 0.93, ["log_loss"] = 0.30, ["recall"] = 0.60 } },
        { "a gain below the margin", new() { ["roc_auc"] = 0.905, ["log_loss"] = 0.30, ["recall"] = 0.71 } },
        { "a guard-rail metric missing", new() { ["roc_auc"] = 0.93, ["recall"] = 0.71 } },
        { "the primary metric missing", new() { ["log_loss"] = 0.30, ["recall"] = 0.71 } },
    };

    [Theory]
    [MemberData(nameof(NotClearWins))]
    public async Task Anything_short_of_a_clear_win_stays_pending_for_people(string because, Dictionary<string, double> challenger)
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: AutoApprove);
        await Registry.PromoteAsync("churn", "1");

        var request = await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2", Samples.Evidence(
            challenger,
            champion: new() { ["roc_auc"] = 0.90, ["log_loss"] = 0.300, ["recall"] = 0.71 }));

        Assert.True((string?)request["state"] == "pending", $"Not auto-approved with {because}.");
        Assert.Empty(request["approvals"]!.AsArray());
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task Auto_approval_needs_champion_metrics_on_the_same_data()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: AutoApprove);

        var request = await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1", new { challenger = new { metrics = new { roc_auc = 0.99 } } });

        Assert.Equal("pending", (string?)request["state"]);
    }

    [Fact]
    public async Task Auto_approval_counts_as_one_approval_when_two_are_required()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: new
        {
            approvalsRequired = 2,
            autoApprove = new { enabled = true, primaryMetric = "rmse", margin = 0.5 },
        });

        var request = await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1", Samples.Evidence(new() { ["rmse"] = 9.0 }, new() { ["rmse"] = 10.0 }));

        Assert.Equal("pending", (string?)request["state"]);
        Assert.Equal([PromotionService.AutoApprover], request["approvals"]!.AsArray().Select(a => (string?)a!["approver"]));
        Assert.Equal("approved", (string?)(await Registry.ApproveAsync(Callers.Ann, RegistryDriver.Id(request)))["state"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    /// <summary>roc_auc must gain 0.01; log loss may be worse by 0.01 and recall by 0.02.</summary>
    private static object AutoApprove => new
    {
        autoApprove = new
        {
            enabled = true,
            primaryMetric = "roc_auc",
            margin = 0.01,
            guardrails = new Dictionary<string, double> { ["log_loss"] = 0.01, ["recall"] = 0.02 },
        },
    };
}

public sealed class ApprovalPolicyOnSqlite() : ApprovalPolicyContract(StorageProvider.Sqlite);

public sealed class ApprovalPolicyOnPostgres() : ApprovalPolicyContract(StorageProvider.Postgres);
