using System.Net;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>
/// Races: requests released together from a gate, many rounds, so the database (SQLite's write lock, PostgreSQL's
/// row locks and unique indexes) decides; the invariants must hold whichever side wins.
/// </summary>
public abstract class ConcurrencyContract(StorageProvider provider) : RegistryTestBase(provider)
{
    private const int Rounds = 10;

    [Fact]
    public async Task Two_approvers_approving_at_once_promote_once_and_the_loser_gets_409()
    {
        var ids = new List<string>();
        for (int round = 0; round < Rounds; round++)
        {
            string model = $"race-{round}";
            await Registry.RegisterModelAsync(model);
            await Registry.RegisterVersionAsync(model);
            string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, model, "1"));
            ids.Add(id);

            var responses = await Together(
                () => Registry.DecideAsync(Callers.Ann, id, "approve"),
                () => Registry.DecideAsync(Callers.Bob, id, "approve"));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            await HttpAssert.ProblemAsync(responses.Single(r => r.StatusCode == HttpStatusCode.Conflict), HttpStatusCode.Conflict);
            string winner = responses[0].StatusCode == HttpStatusCode.OK ? Callers.Ann : Callers.Bob;
            var request = await Registry.PromotionAsync(id);
            Assert.Equal("approved", (string?)request["state"]);
            Assert.Equal(winner, (string?)request["decidedBy"]);
            Assert.Equal([winner], request["approvals"]!.AsArray().Select(a => (string?)a!["approver"]));
            Assert.Equal("1", await Registry.ChampionAsync(model));
            var audit = await Registry.AuditAsync(model);
            Assert.Single(audit, e => (string?)e["action"] == "champion.promoted");
            Assert.Single(audit, e => (string?)e["action"] == "promotion.approved");
        }

        await Eventually.HoldsAsync(() => App.Events.Promoted.Count >= Rounds, $"{Rounds} ModelPromoted events arrive");
        Assert.Equal(ids.Order(), App.Events.Promoted.Select(e => e.PromotionId).Order());
    }

    [Fact]
    public async Task An_approval_racing_a_rejection_leaves_one_decision()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string model = $"race-{round}";
            await Registry.RegisterModelAsync(model);
            await Registry.RegisterVersionAsync(model);
            string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, model, "1"));

            var responses = await Together(
                () => Registry.DecideAsync(Callers.Ann, id, "approve"),
                () => Registry.DecideAsync(Callers.Bob, id, "reject"));

            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            bool approved = responses[0].StatusCode == HttpStatusCode.OK;
            Assert.Equal(approved ? "approved" : "rejected", (string?)(await Registry.PromotionAsync(id))["state"]);
            Assert.Equal(approved ? "1" : null, await Registry.ChampionAsync(model));
        }
    }

    [Fact]
    public async Task Concurrent_approvals_never_promote_with_fewer_approvals_than_required()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string model = $"race-{round}";
            await Registry.RegisterModelAsync(model, policy: new { approvalsRequired = 2 });
            await Registry.RegisterVersionAsync(model);
            string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, model, "1"));

            var responses = await Together(
                () => Registry.DecideAsync(Callers.Ann, id, "approve"),
                () => Registry.DecideAsync(Callers.Bob, id, "approve"));

            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            var request = await Registry.PromotionAsync(id);
            int approvals = request["approvals"]!.AsArray().Count;
            Assert.Equal(responses.Count(r => r.StatusCode == HttpStatusCode.OK), approvals);
            if ((string?)request["state"] == "approved")
            {
                Assert.Equal(2, approvals);
                Assert.Equal("1", await Registry.ChampionAsync(model));
            }
            else
            {
                Assert.Equal("pending", (string?)request["state"]);
                Assert.Equal(1, approvals);
                Assert.Null(await Registry.ChampionAsync(model));
            }
        }
    }

    [Fact]
    public async Task Two_requests_for_one_model_at_once_leave_one_pending_and_the_other_gets_409()
    {
        for (int round = 0; round < Rounds; round++)
        {
            string model = $"race-{round}";
            await Registry.RegisterModelAsync(model);
            await Registry.RegisterVersionAsync(model);
            await Registry.RegisterVersionAsync(model);

            var responses = await Together(
                () => Registry.PostPromotionAsync(Callers.Carl, model, "1"),
                () => Registry.PostPromotionAsync(Callers.Ann, model, "2"));

            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            Assert.Single((await Registry.GetJsonAsync($"/api/promotions?model={model}")).AsArray());
            Assert.Single(await Registry.AuditAsync(model), e => (string?)e["action"] == "promotion.requested");
        }
    }

    [Fact]
    public async Task Concurrent_version_uploads_are_numbered_one_after_another()
    {
        await Registry.RegisterModelAsync("churn");

        var responses = await Together(
            () => Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("a"))),
            () => Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("b"))),
            () => Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("c"))),
            () => Registry.PostVersionAsync("churn", Samples.VersionForm(Samples.Artifact("d"))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var versions = (await Registry.GetJsonAsync("/api/models/churn/versions")).AsArray();
        Assert.Equal(["4", "3", "2", "1"], versions.Select(v => (string?)v!["version"]));
        Assert.Equal(4, versions.Select(v => (string?)v!["artifact"]!["sha256"]).Distinct().Count());
    }

    /// <summary>Starts every call on its own thread behind one gate, opens the gate, and waits for all.</summary>
    private static async Task<HttpResponseMessage[]> Together(params Func<Task<HttpResponseMessage>>[] calls)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = calls.Select(call => Task.Run(async () =>
        {
            await gate.Task;
            return await call();
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(running);
    }
}

public sealed class ConcurrencyOnSqlite() : ConcurrencyContract(StorageProvider.Sqlite);

public sealed class ConcurrencyOnPostgres() : ConcurrencyContract(StorageProvider.Postgres);
