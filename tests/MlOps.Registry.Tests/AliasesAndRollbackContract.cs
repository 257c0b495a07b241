using System.Net;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>PUT /api/models/{name}/aliases/{alias} and POST /api/models/{name}/rollback.</summary>
public abstract class AliasesAndRollbackContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task An_admin_points_an_alias_at_a_version_and_can_move_it()
    {
        await Registry.SeedModelAsync("churn", versions: 2);

        var set = await HttpAssert.JsonAsync(await Registry.PutJsonAsync(Callers.Root, "/api/models/churn/aliases/staging", new { version = "1" }), HttpStatusCode.OK);
        Assert.Equal("churn", (string?)set["model"]);
        Assert.Equal("staging", (string?)set["alias"]);
        Assert.Equal("1", (string?)set["version"]);
        Assert.Equal(Callers.Root, (string?)set["updatedBy"]);
        Assert.Equal("1", (string?)(await Registry.GetJsonAsync("/api/models/churn"))["aliases"]!["staging"]);
        Assert.Equal(["staging"], (await Registry.GetJsonAsync("/api/models/churn/versions/1"))["aliases"]!.AsArray().Select(a => (string?)a));

        await HttpAssert.JsonAsync(await Registry.PutJsonAsync(Callers.Root, "/api/models/churn/aliases/staging", new { version = "2" }), HttpStatusCode.OK);

        Assert.Equal("2", (string?)(await Registry.GetJsonAsync("/api/models/churn"))["aliases"]!["staging"]);
        Assert.Empty((await Registry.GetJsonAsync("/api/models/churn/versions/1"))["aliases"]!.AsArray());
        var moves = (await Registry.AuditAsync("churn")).Where(e => (string?)e["action"] == "alias.set").ToList();
        Assert.Equal(2, moves.Count);
        Assert.Null(moves[0]["before"]);
        Assert.Equal("1", (string?)moves[0]["after"]!["version"]);
        Assert.Equal("1", (string?)moves[1]["before"]!["version"]);
        Assert.Equal("2", (string?)moves[1]["after"]!["version"]);
        Assert.All(moves, m => Assert.Equal(Callers.Root, (string?)m["actor"]));
    }

    [Theory]
    [InlineData("champion")]
    [InlineData("Champion")]
    [InlineData("CHAMPION")]
    public async Task The_champion_alias_cannot_be_set_directly(string alias)
    {
        await Registry.SeedModelAsync("churn", versions: 1);

        await HttpAssert.ProblemAsync(await Registry.PutJsonAsync(Callers.Root, $"/api/models/churn/aliases/{alias}", new { version = "1" }), HttpStatusCode.BadRequest, "alias");
        Assert.Null(await Registry.ChampionAsync("churn"));
    }

    [Theory]
    [InlineData("bad%20alias", "1", "alias")]
    [InlineData("-staging", "1", "alias")]
    [InlineData("staging%0A", "1", "alias")]
    [InlineData("staging", "abc", "version")]
    [InlineData("staging", "0", "version")]
    [InlineData("staging", "-1", "version")]
    [InlineData("staging", "", "version")]
    [InlineData("staging", "9", "version")]
    public async Task An_invalid_alias_or_version_is_400_naming_the_field(string alias, string version, string field)
    {
        await Registry.SeedModelAsync("churn", versions: 1);

        await HttpAssert.ProblemAsync(await Registry.PutJsonAsync(Callers.Root, $"/api/models/churn/aliases/{alias}", new { version }), HttpStatusCode.BadRequest, field);
    }

    [Fact]
    public async Task An_alias_of_an_unknown_model_is_404()
    {
        await HttpAssert.ProblemAsync(await Registry.PutJsonAsync(Callers.Root, "/api/models/nope/aliases/staging", new { version = "1" }), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Rollback_without_a_version_returns_to_the_previous_champion()
    {
        await Registry.SeedModelAsync("churn", versions: 3);
        await Registry.PromoteAsync("churn", "1");
        await Registry.PromoteAsync("churn", "3");

        var response = await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "  conversion dropped 4% after v3  " });

        var alias = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("champion", (string?)alias["alias"]);
        Assert.Equal("1", (string?)alias["version"]);
        Assert.Equal(Callers.Root, (string?)alias["updatedBy"]);
        Assert.Equal("1", await Registry.ChampionAsync("churn"));
        var entry = (await Registry.AuditAsync("churn")).Last();
        Assert.Equal("champion.rolled_back", (string?)entry["action"]);
        Assert.Equal(Callers.Root, (string?)entry["actor"]);
        Assert.Equal("3", (string?)entry["before"]!["version"]);
        Assert.Equal("1", (string?)entry["after"]!["version"]);
        Assert.Equal("conversion dropped 4% after v3", (string?)entry["after"]!["reason"]);
    }

    [Fact]
    public async Task Rollback_to_a_named_version_makes_it_champion()
    {
        await Registry.SeedModelAsync("churn", versions: 3);
        await Registry.PromoteAsync("churn", "3");

        await HttpAssert.JsonAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { version = "2", reason = "v3 misbehaves" }), HttpStatusCode.OK);

        Assert.Equal("2", await Registry.ChampionAsync("churn"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Rollback_without_a_reason_is_400_naming_the_reason(string? reason)
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "1");
        await Registry.PromoteAsync("churn", "2");

        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason }), HttpStatusCode.BadRequest, "reason");
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("two")]
    [InlineData("9")]
    public async Task Rollback_to_an_invalid_version_is_400_naming_the_version(string version)
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.PromoteAsync("churn", "2");

        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { version, reason = "r" }), HttpStatusCode.BadRequest, "version");
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task Rollback_is_409_when_there_is_no_champion_no_earlier_champion_or_the_target_is_champion()
    {
        await Registry.SeedModelAsync("churn", versions: 2);

        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "r" }), HttpStatusCode.Conflict);
        await Registry.PromoteAsync("churn", "2");
        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "r" }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { version = "2", reason = "r" }), HttpStatusCode.Conflict);
        Assert.Equal("2", await Registry.ChampionAsync("churn"));
    }

    [Fact]
    public async Task Rollback_of_an_unknown_model_is_404()
    {
        await HttpAssert.ProblemAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/nope/rollback", new { reason = "r" }), HttpStatusCode.NotFound);
    }
}

public sealed class AliasesAndRollbackOnSqlite() : AliasesAndRollbackContract(StorageProvider.Sqlite);

public sealed class AliasesAndRollbackOnPostgres() : AliasesAndRollbackContract(StorageProvider.Postgres);
