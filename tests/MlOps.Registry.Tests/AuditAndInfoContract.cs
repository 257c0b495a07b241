using System.Net;
using System.Text.Json.Nodes;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>GET /api/audit (read-only), GET /api/me, the OpenAPI document and the web page.</summary>
public abstract class AuditAndInfoContract(StorageProvider provider) : RegistryTestBase(provider)
{
    [Fact]
    public async Task Every_change_is_audited_in_order_with_its_actor_and_before_and_after()
    {
        await Registry.SeedModelAsync("churn", versions: 3);
        await HttpAssert.StatusAsync(await Registry.PutJsonAsync(Callers.Root, "/api/models/churn/aliases/staging", new { version = "2" }), HttpStatusCode.OK);
        string p1 = await Registry.PromoteAsync("churn", "1");
        string p2 = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));
        await Registry.DecideAsync(Callers.Bob, p2, "reject", "not yet");
        string p3 = RegistryDriver.Id(await Registry.RequestPromotionAsync(Callers.Ann, "churn", "3"));
        await Registry.DecideAsync(Callers.Ann, p3, "cancel");
        string p4 = await Registry.PromoteAsync("churn", "3");
        await HttpAssert.StatusAsync(await Registry.PostJsonAsync(Callers.Root, "/api/models/churn/rollback", new { reason = "alerts" }), HttpStatusCode.OK);

        var audit = await Registry.AuditAsync("churn");

        Assert.Equal(
            [
                ("model.registered", Callers.Root, "churn"),
                ("version.registered", Callers.Root, "churn/1"),
                ("version.registered", Callers.Root, "churn/2"),
                ("version.registered", Callers.Root, "churn/3"),
                ("alias.set", Callers.Root, "churn/staging"),
                ("promotion.requested", Callers.Carl, p1),
                ("promotion.approved", Callers.Ann, p1),
                ("champion.promoted", Callers.Ann, "churn/champion"),
                ("promotion.requested", Callers.Carl, p2),
                ("promotion.rejected", Callers.Bob, p2),
                ("promotion.requested", Callers.Ann, p3),
                ("promotion.cancelled", Callers.Ann, p3),
                ("promotion.requested", Callers.Carl, p4),
                ("promotion.approved", Callers.Ann, p4),
                ("champion.promoted", Callers.Ann, "churn/champion"),
                ("champion.rolled_back", Callers.Root, "churn/champion"),
            ],
            audit.Select(e => ((string)e["action"]!, (string)e["actor"]!, (string)e["entityId"]!)));
        Assert.All(audit, e => Assert.Equal("churn", (string?)e["model"]));
        Assert.All(audit, e => Assert.Equal(RegistryApp.Start, DateTimeOffset.Parse((string)e["at"]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(audit, e => Assert.NotNull(e["after"]));
        Assert.Equal(audit.Select(e => (long)e["id"]!).Order(), audit.Select(e => (long)e["id"]!));

        var requested = audit[12];
        Assert.Equal("3", (string?)requested["after"]!["version"]);
        Assert.Equal("1", (string?)requested["after"]!["championVersion"]);
        var rejected = audit[9];
        Assert.Equal("pending", (string?)rejected["before"]!["state"]);
        Assert.Equal("rejected", (string?)rejected["after"]!["state"]);
        Assert.Equal("not yet", (string?)rejected["after"]!["comment"]);
        var firstPromotion = audit[7];
        Assert.Null(firstPromotion["before"]);
        Assert.Equal("1", (string?)firstPromotion["after"]!["version"]);
        Assert.Equal(p1, (string?)firstPromotion["after"]!["promotionId"]);
        var secondPromotion = audit[14];
        Assert.Equal("1", (string?)secondPromotion["before"]!["version"]);
        Assert.Equal("3", (string?)secondPromotion["after"]!["version"]);
    }

    [Fact]
    public async Task The_audit_log_is_filtered_by_model_and_paged_newest_first()
    {
        await Registry.SeedModelAsync("churn", versions: 2);
        await Registry.SeedModelAsync("fraud", versions: 1);

        var all = (await Registry.GetJsonAsync("/api/audit")).AsArray();
        Assert.Equal(5, all.Count);
        Assert.Equal(all.Select(e => (long)e!["id"]!).OrderDescending(), all.Select(e => (long)e!["id"]!));
        Assert.Equal(3, (await Registry.GetJsonAsync("/api/audit?model=churn")).AsArray().Count);
        var page = (await Registry.GetJsonAsync("/api/audit?limit=2")).AsArray();
        Assert.Equal(all.Take(2).Select(e => (long)e!["id"]!), page.Select(e => (long)e!["id"]!));
        long before = (long)page[1]!["id"]!;
        var next = (await Registry.GetJsonAsync($"/api/audit?limit=2&before={before}")).AsArray();
        Assert.Equal(all.Skip(2).Take(2).Select(e => (long)e!["id"]!), next.Select(e => (long)e!["id"]!));
        Assert.Empty((await Registry.GetJsonAsync("/api/audit?model=nope")).AsArray());
    }

    [Theory]
    [InlineData("0")]
    [InlineData("1001")]
    public async Task An_audit_limit_out_of_range_is_400_naming_the_limit(string limit)
    {
        await HttpAssert.ProblemAsync(await Registry.GetAsync(Callers.Vera, $"/api/audit?limit={limit}"), HttpStatusCode.BadRequest, "limit");
    }

    [Theory]
    [InlineData("PUT", "/api/audit")]
    [InlineData("PATCH", "/api/audit")]
    [InlineData("DELETE", "/api/audit")]
    [InlineData("POST", "/api/audit")]
    public async Task The_audit_log_has_no_endpoint_that_edits_or_deletes(string method, string path)
    {
        await Registry.SeedModelAsync("churn", versions: 1);
        long id = (long)(await Registry.AuditAsync("churn"))[0]["id"]!;

        var response = await Registry.SendAsync(Callers.Root, new HttpMethod(method), path, JsonContent(new JsonObject { ["id"] = id, ["actor"] = "nobody" }));
        var byId = await Registry.SendAsync(Callers.Root, new HttpMethod(method), $"{path}/{id}");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Contains(byId.StatusCode, new[] { HttpStatusCode.MethodNotAllowed, HttpStatusCode.NotFound });
        Assert.Equal(Callers.Root, (string?)(await Registry.AuditAsync("churn"))[0]["actor"]);
        Assert.Equal(2, (await Registry.AuditAsync("churn")).Count);
    }

    [Theory]
    [InlineData(Callers.Root, "admin")]
    [InlineData(Callers.Ann, "approver")]
    [InlineData(Callers.Carl, "approver")]
    [InlineData(Callers.Vera, "viewer")]
    public async Task Me_says_who_the_key_belongs_to_and_its_role(string caller, string role)
    {
        var me = await Registry.GetJsonAsync("/api/me", caller);

        Assert.Equal(caller, (string?)me["name"]);
        Assert.Equal(role, (string?)me["role"]);
    }

    [Fact]
    public async Task The_key_may_also_come_in_the_authorization_header()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/api/me");
        request.Headers.TryAddWithoutValidation("Authorization", $"ApiKey {Callers.KeyOf(Callers.Bob)}");

        var me = await HttpAssert.JsonAsync(await App.Client(Callers.Anonymous).SendAsync(request), HttpStatusCode.OK);

        Assert.Equal(Callers.Bob, (string?)me["name"]);
    }

    [Fact]
    public async Task The_openapi_document_is_served_anonymously_and_describes_every_endpoint()
    {
        var document = await HttpAssert.JsonAsync(await Registry.GetAsync(Callers.Anonymous, "/openapi/registry.json"), HttpStatusCode.OK);

        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        foreach (string path in new[]
        {
            "/api/models", "/api/models/{name}", "/api/models/{name}/versions", "/api/models/{name}/versions/{version}",
            "/api/models/{name}/versions/{version}/artifact", "/api/models/{name}/versions/{version}/reference-profile",
            "/api/models/{name}/aliases/{alias}", "/api/models/{name}/rollback", "/api/promotions", "/api/promotions/{id}",
            "/api/promotions/{id}/approve", "/api/promotions/{id}/reject", "/api/promotions/{id}/cancel", "/api/audit", "/api/me",
        })
        {
            Assert.True(paths.ContainsKey(path) || paths.ContainsKey(path + "/"), $"The OpenAPI document lacks {path}: {string.Join(", ", paths.Select(p => p.Key))}");
        }
    }

    [Theory]
    [InlineData("/", "text/html", "<title>MlOps model registry</title>")]
    [InlineData("/app.js", "text/javascript", "")]
    [InlineData("/app.css", "text/css", "")]
    public async Task The_web_page_is_served_anonymously_with_a_strict_content_security_policy(string path, string mediaType, string contains)
    {
        var response = await Registry.GetAsync(Callers.Anonymous, path);

        await HttpAssert.StatusAsync(response, HttpStatusCode.OK);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        string body = await response.Content.ReadAsStringAsync();
        Assert.NotEmpty(body);
        Assert.Contains(contains, body, StringComparison.Ordinal);
    }

    private static StringContent JsonContent(JsonNode body) => new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");
}

public sealed class AuditAndInfoOnSqlite() : AuditAndInfoContract(StorageProvider.Sqlite);

public sealed class AuditAndInfoOnPostgres() : AuditAndInfoContract(StorageProvider.Postgres);
