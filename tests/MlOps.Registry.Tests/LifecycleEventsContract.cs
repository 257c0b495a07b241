using System.Net;
using MlOps.Registry.Promotions;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>The champion's moves go out on the bus (in-memory here) after they are committed.</summary>
public abstract class LifecycleEventsContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task Approval_publishes_ModelPromoted_with_the_previous_champion_and_the_approvers()
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: new { approvalsRequired = 2 });
        string first = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        await Registry.ApproveAsync(Callers.Ann, first);
        await Registry.ApproveAsync(Callers.Bob, first);
        App.Time.Advance(TimeSpan.FromHours(1));
        string second = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));
        await Registry.ApproveAsync(Callers.Bob, second);
        await Registry.ApproveAsync(Callers.Root, second);

        var promoted = await Received(App.Events.Promoted, e => e.PromotionId == second);

        Assert.Equal("churn", promoted.Model);
        Assert.Equal("2", promoted.Version);
        Assert.Equal("1", promoted.PreviousVersion);
        Assert.Equal([Callers.Bob, Callers.Root], promoted.ApprovedBy.Order());
        Assert.Equal(RegistryApp.Start.AddHours(1), promoted.Timestamp);
        var initial = await Received(App.Events.Promoted, e => e.PromotionId == first);
        Assert.Null(initial.PreviousVersion);
        Assert.Equal("1", initial.Version);
    }

    [Fact]
    public async Task Auto_approval_publishes_ModelPromoted_approved_by_auto_approve()
    {
        await Registry.SeedModelAsync("churn", versions: 1, policy: new { autoApprove = new { enabled = true, primaryMetric = "f1", margin = 0.02 } });

        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1", Samples.Evidence(new() { ["f1"] = 0.8 }, new() { ["f1"] = 0.7 })));

        var promoted = await Received(App.Events.Promoted, e => e.PromotionId == id);
        Assert.Equal([PromotionService.AutoApprover], promoted.ApprovedBy);
    }

    [Fact]
    public async Task Rollback_publishes_ModelRolledBack_with_the_reason()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "1");
        await Registry.PromoteAsync("churn", "2");
        App.Time.Advance(TimeSpan.FromMinutes(5));

        await HttpAssert.StatusAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "latency doubled" }), HttpStatusCode.OK);

        var rolledBack = await Received(App.Events.RolledBack, e => e.Model == "churn");
        Assert.Equal("1", rolledBack.Version);
        Assert.Equal("2", rolledBack.RolledBackVersion);
        Assert.Equal(Callers.Root, rolledBack.By);
        Assert.Equal("latency doubled", rolledBack.Reason);
        Assert.Equal(RegistryApp.Start.AddMinutes(5), rolledBack.Timestamp);
    }

    [Fact]
    public async Task Rejection_and_a_pending_approval_publish_nothing()
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: new { approvalsRequired = 2 });
        string rejected = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        await Registry.ApproveAsync(Callers.Ann, rejected);
        await HttpAssert.StatusAsync(await Registry.DecideAsync(Callers.Bob, rejected, "reject"), HttpStatusCode.OK);
        string approved = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));
        await Registry.ApproveAsync(Callers.Ann, approved);
        await Registry.ApproveAsync(Callers.Bob, approved);

        // The later promotion's event is the marker: anything published before it has been handed to the bus too.
        await Received(App.Events.Promoted, e => e.PromotionId == approved);
        Assert.Single(App.Events.Promoted);
        Assert.Empty(App.Events.RolledBack);
    }

    private static async Task<T> Received<T>(IEnumerable<T> received, Func<T, bool> match)
    {
        await Eventually.HoldsAsync(() => received.Any(match), $"a matching {typeof(T).Name} is consumed from the bus");
        return Assert.Single(received, e => match(e));
    }
}

public sealed class LifecycleEventsOnSqlite() : LifecycleEventsContract(StorageProvider.Sqlite);

public sealed class LifecycleEventsOnPostgres() : LifecycleEventsContract(StorageProvider.Postgres);
