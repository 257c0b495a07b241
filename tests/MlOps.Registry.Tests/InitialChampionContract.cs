using System.Net;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>
/// A model's first version becomes its champion at once (policy <c>initialChampion: auto</c>, the default), so a
/// newly registered model is monitored against its reference from the first event; <c>approval</c> keeps the old way.
/// </summary>
public abstract class InitialChampionContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task By_default_the_first_version_is_champion_at_once_and_later_ones_need_a_promotion()
    {
        var model = await HttpAssert.JsonAsync(await Registry.PostModelAsync(new { name = "churn", schema = Samples.Schema() }), HttpStatusCode.Created);
        Assert.Equal("auto", (string?)model["policy"]!["initialChampion"]);

        var first = await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());
        await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());

        Assert.Contains("champion", first["aliases"]!.AsArray().Select(a => (string?)a));
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
        var initial = Assert.Single(await Registry.AuditAsync("churn"), e => (string?)e["action"] == "champion.initial");
        Assert.Equal(Callers.Root, (string?)initial["actor"]);
        Assert.Equal("1", (string?)initial["after"]!["version"]);
        Assert.Null(initial["before"]);
    }

    [Fact]
    public async Task The_initial_champion_is_published_and_is_where_a_rollback_returns_to()
    {
        await Registry.RegisterModelAsync("churn", policy: new { initialChampion = "auto" });
        await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());
        await Registry.RegisterVersionAsync("churn", referenceCsv: Samples.ReferenceCsv());
        await Registry.PromoteAsync("churn", "2");

        await Eventually.HoldsAsync(() => App.Events.Promoted.Any(e => e.Initial), "the initial champion's ModelPromoted is consumed from the bus");
        var initial = Assert.Single(App.Events.Promoted, e => e.Initial);
        Assert.Equal(("churn", "1", null, null), (initial.Model, initial.Version, initial.PreviousVersion, initial.PromotionId));
        Assert.Empty(initial.ApprovedBy);

        // The rollback finds the version before the champion in the alias history: the initial move is recorded there.
        var rolledBack = await HttpAssert.JsonAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "v2 regressed" }), HttpStatusCode.OK);
        Assert.Equal("1", (string?)rolledBack["version"]);
    }

    [Fact]
    public async Task With_approval_the_model_has_no_champion_until_a_promotion_is_approved()
    {
        await Registry.SeedModelAsync("churn", versions: 2, policy: new { initialChampion = "approval" });

        Assert.Null(await Registry.ChampionAsync("churn"));
        Assert.DoesNotContain(await Registry.AuditAsync("churn"), e => (string?)e["action"] == "champion.initial");
        await Registry.PromoteAsync("churn", "2");
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task An_unknown_initial_champion_mode_is_400()
    {
        var response = await Registry.PostModelAsync(new { name = "churn", schema = Samples.Schema(), policy = new { initialChampion = "sometimes" } });

        await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
    }
}

public sealed class InitialChampionOnSqlite() : InitialChampionContract(StorageProvider.Sqlite);

public sealed class InitialChampionOnPostgres() : InitialChampionContract(StorageProvider.Postgres);
