using System.Globalization;
using System.Net;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>GET|POST /api/promotions and approve/reject/cancel: states, filters and conflicts.</summary>
public abstract class PromotionsApiContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task A_request_is_pending_with_its_evidence_champion_and_expiry()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "1");
        App.Time.Advance(TimeSpan.FromMinutes(30));
        var evidence = Samples.Evidence(new() { ["roc_auc"] = 0.93 }, new() { ["roc_auc"] = 0.90 });

        var response = await Registry.PostPromotionAsync(Callers.Carl, "churn", "2", evidence, notes: " retrained ");

        var request = await HttpAssert.JsonAsync(response, HttpStatusCode.Created);
        string id = RegistryDriver.Id(request);
        Assert.Equal($"/api/promotions/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("pending", (string?)request["state"]);
        Assert.Equal("churn", (string?)request["model"]);
        Assert.Equal("2", (string?)request["version"]);
        Assert.Equal("1", (string?)request["championVersion"]);
        Assert.Equal(Callers.Carl, (string?)request["requestedBy"]);
        var requestedAt = RegistryApp.Start.AddMinutes(30);
        Assert.Equal(requestedAt, Time(request["requestedAt"]));
        Assert.Equal(requestedAt.AddHours(72), Time(request["expiresAt"]));
        Assert.Equal(1, (int?)request["approvalsRequired"]);
        Assert.Empty(request["approvals"]!.AsArray());
        Assert.Equal("retrained", (string?)request["notes"]);
        Assert.Equal(0.93, (double?)request["evidence"]!["challenger"]!["metrics"]!["roc_auc"]);
        Assert.Equal(1200, (long?)request["evidence"]!["recentTraffic"]!["rows"]);
        Assert.Equal(["age", "plan"], request["evidence"]!["drift"]!["driftedFeatures"]!.AsArray().Select(f => (string?)f));
        Assert.Null(request["decidedBy"]);
        Assert.Equal(request.ToJsonString(), (await Registry.PromotionAsync(id)).ToJsonString());
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task Approval_moves_the_champion_and_records_who_approved()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        var approved = await Registry.ApproveAsync(Callers.Ann, id, "  looks good  ");

        Assert.Equal("approved", (string?)approved["state"]);
        Assert.Equal(Callers.Ann, (string?)approved["decidedBy"]);
        Assert.Equal("looks good", (string?)approved["decisionComment"]);
        Assert.Equal(RegistryApp.Start, Time(approved["decidedAt"]));
        var approval = Assert.Single(approved["approvals"]!.AsArray())!;
        Assert.Equal(Callers.Ann, (string?)approval["approver"]);
        Assert.Equal("looks good", (string?)approval["comment"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
        Assert.Equal(["champion"], (await Registry.GetJsonAsync("/api/models/churn/versions/1"))["aliases"]!.AsArray().Select(a => (string?)a));
    }

    [Fact]
    public async Task Approval_without_a_body_is_accepted()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        var response = await Registry.SendAsync(Callers.Ann, HttpMethod.Post, $"/api/promotions/{id}/approve");

        Assert.Equal("approved", (string?)(await HttpAssert.JsonAsync(response, HttpStatusCode.OK))["state"]);
    }

    [Fact]
    public async Task Rejection_leaves_the_champion_and_a_rejected_request_cannot_be_approved()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "1");
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));

        var rejected = await HttpAssert.JsonAsync(await Registry.DecideAsync(Callers.Bob, id, "reject", "holdout too small"), HttpStatusCode.OK);

        Assert.Equal("rejected", (string?)rejected["state"]);
        Assert.Equal(Callers.Bob, (string?)rejected["decidedBy"]);
        Assert.Equal("holdout too small", (string?)rejected["decisionComment"]);
        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Ann, id, "approve"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Ann, id, "reject"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Carl, id, "cancel"), HttpStatusCode.Conflict);
        Assert.Equal("rejected", (string?)(await Registry.PromotionAsync(id))["state"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task The_requester_may_reject_their_own_request()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        string id = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        var rejected = await HttpAssert.JsonAsync(await Registry.DecideAsync(Callers.Carl, id, "reject"), HttpStatusCode.OK);

        Assert.Equal("rejected", (string?)rejected["state"]);
    }

    [Fact]
    public async Task The_requester_or_an_admin_may_cancel_but_another_approver_may_not()
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        await Registry.SeedModelAsync("fraud", versions: 1);
        string churn = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));
        string fraud = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "fraud", "1"));

        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Ann, churn, "cancel"), HttpStatusCode.Forbidden);
        Assert.Equal("pending", (string?)(await Registry.PromotionAsync(churn))["state"]);

        var byRequester = await HttpAssert.JsonAsync(await Registry.DecideAsync(Callers.Carl, churn, "cancel", "wrong version"), HttpStatusCode.OK);
        Assert.Equal("cancelled", (string?)byRequester["state"]);
        Assert.Equal(Callers.Carl, (string?)byRequester["decidedBy"]);
        var byAdmin = await HttpAssert.JsonAsync(await Registry.DecideAsync(Callers.Root, fraud, "cancel"), HttpStatusCode.OK);
        Assert.Equal("cancelled", (string?)byAdmin["state"]);
        Assert.Equal(Callers.Root, (string?)byAdmin["decidedBy"]);
        Assert.Null(await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task A_second_pending_request_for_the_same_model_is_409_until_the_first_is_decided()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        string first = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "1"));

        await HttpAssert.ProblemAsync(await Registry.PostPromotionAsync(Callers.Ann, "churn", "2"), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await Registry.PostPromotionAsync(Callers.Ann, "churn", "1"), HttpStatusCode.Conflict);
        await HttpAssert.JsonAsync(await Registry.DecideAsync(Callers.Carl, first, "cancel"), HttpStatusCode.OK);

        await HttpAssert.JsonAsync(await Registry.PostPromotionAsync(Callers.Ann, "churn", "2"), HttpStatusCode.Created);
        Assert.Single((await Registry.GetJsonAsync("/api/promotions?model=churn&state=pending")).AsArray());
    }

    [Fact]
    public async Task Promoting_the_current_champion_is_409()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "2");

        await HttpAssert.ProblemAsync(await Registry.PostPromotionAsync(Callers.Carl, "churn", "2"), HttpStatusCode.Conflict);
        Assert.Empty((await Registry.GetJsonAsync("/api/promotions?state=pending")).AsArray());
    }

    [Theory]
    [InlineData(null, "1", "model")]
    [InlineData("  ", "1", "model")]
    [InlineData("churn", null, "version")]
    [InlineData("churn", "v1", "version")]
    [InlineData("churn", "0", "version")]
    [InlineData("churn", "1.0", "version")]
    [InlineData("churn", "9", "version")]
    public async Task An_invalid_request_is_400_naming_the_field(string? model, string? version, string field)
    {
        await Registry.SeedModelAsync("churn", versions: 1);

        await HttpAssert.ProblemAsync(await Registry.PostPromotionAsync(Callers.Carl, model!, version!), HttpStatusCode.BadRequest, field);
        Assert.Empty((await Registry.GetJsonAsync("/api/promotions")).AsArray());
    }

    [Fact]
    public async Task Evidence_metrics_that_are_null_are_400_naming_the_field()
    {
        await Registry.SeedModelAsync("churn", versions: 1);

        var response = await Registry.PostPromotionAsync(Callers.Carl, "churn", "1", new { challenger = new { version = "1", metrics = (object?)null } });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest, "evidence.challenger.metrics");
    }

    [Fact]
    public async Task A_request_for_an_unknown_model_is_404()
    {
        await HttpAssert.ProblemAsync(await Registry.PostPromotionAsync(Callers.Carl, "nope", "1"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Evidence_with_a_metric_set_without_metrics_is_accepted()
    {
        await Registry.SeedModelAsync("churn", versions: 1);

        var request = await HttpAssert.JsonAsync(
            await Registry.PostPromotionAsync(Callers.Carl, "churn", "1", new { challenger = new { version = "1" }, champion = new { version = "0" } }),
            HttpStatusCode.Created);

        Assert.Empty(request["evidence"]!["challenger"]!["metrics"]!.AsObject());
    }

    [Theory]
    [InlineData("approve")]
    [InlineData("reject")]
    [InlineData("cancel")]
    public async Task Deciding_an_unknown_request_is_404(string decision)
    {
        await HttpAssert.ProblemAsync(await Registry.DecideAsync(Callers.Root, "0195f0c1e3d47a0b8c9d0e1f2a3b4c5d", decision), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/promotions/0195f0c1e3d47a0b8c9d0e1f2a3b4c5d"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Requests_are_listed_newest_first_and_filtered_by_model_and_state()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.SeedModelAsync("fraud", versions: 1);
        string churn1 = await Registry.PromoteAsync("churn", "1");
        App.Time.Advance(TimeSpan.FromMinutes(1));
        string churn2 = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));
        App.Time.Advance(TimeSpan.FromMinutes(1));
        string fraud1 = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "fraud", "1"));
        await Registry.DecideAsync(Callers.Ann, fraud1, "reject");

        Assert.Equal([fraud1, churn2, churn1], await Ids("/api/promotions"));
        Assert.Equal([churn2, churn1], await Ids("/api/promotions?model=churn"));
        Assert.Equal([churn2], await Ids("/api/promotions?state=pending"));
        Assert.Equal([churn1], await Ids("/api/promotions?model=churn&state=approved"));
        Assert.Equal([fraud1], await Ids("/api/promotions?state=rejected"));
        Assert.Empty(await Ids("/api/promotions?model=fraud&state=approved"));
        Assert.Empty(await Ids("/api/promotions?model=nope"));
    }

    [Fact]
    public async Task An_unknown_state_filter_is_400_naming_the_state()
    {
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, "/api/promotions?state=done"), HttpStatusCode.BadRequest, "state");
    }

    private async Task<List<string>> Ids(string path) =>
        [.. (await Registry.GetJsonAsync(path)).AsArray().Select(p => RegistryDriver.Id(p!))];

    private static DateTimeOffset Time(System.Text.Json.Nodes.JsonNode? node) =>
        DateTimeOffset.Parse((string?)node ?? throw new Xunit.Sdk.XunitException("No time."), CultureInfo.InvariantCulture);
}

public sealed class PromotionsApiOnSqlite() : PromotionsApiContract(StorageProvider.Sqlite);

public sealed class PromotionsApiOnPostgres() : PromotionsApiContract(StorageProvider.Postgres);
