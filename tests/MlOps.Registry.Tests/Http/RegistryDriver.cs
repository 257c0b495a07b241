using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.Registry.Tests.Http;

/// <summary>Calls the registry API as the test's callers; the helpers that set things up assert their own success.</summary>
public sealed class RegistryDriver(RegistryApp app)
{
    public Task<HttpResponseMessage> SendAsync(string caller, HttpMethod method, string path, HttpContent? content = null) =>
        app.Client(caller).SendAsync(new HttpRequestMessage(method, path) { Content = content });

    public Task<HttpResponseMessage> GetAsync(string caller, string path) => SendAsync(caller, HttpMethod.Get, path);

    public Task<HttpResponseMessage> PostJsonAsync(string caller, string path, object body) =>
        SendAsync(caller, HttpMethod.Post, path, JsonContent.Create(body, options: JsonSerializerOptions.Web));

    public Task<HttpResponseMessage> PutJsonAsync(string caller, string path, object body) =>
        SendAsync(caller, HttpMethod.Put, path, JsonContent.Create(body, options: JsonSerializerOptions.Web));

    public async Task<JsonNode> GetJsonAsync(string path, string caller = Callers.Vera) =>
        await HttpAssert.JsonAsync(await GetAsync(caller, path), HttpStatusCode.OK);

    public Task<HttpResponseMessage> PostModelAsync(object body, string caller = Callers.Root) => PostJsonAsync(caller, "/api/models", body);

    /// <summary>
    /// Registers a model whose first champion comes through a promotion (<c>initialChampion: approval</c>, unless
    /// <paramref name="policy"/> says otherwise), so that the promotion tests control every move of the champion;
    /// <see cref="InitialChampionContract"/> covers the default, <c>auto</c>.
    /// </summary>
    public async Task<JsonNode> RegisterModelAsync(string name, object? policy = null, object? monitoring = null)
    {
        var withPolicy = JsonSerializer.SerializeToNode(policy ?? new { }, JsonSerializerOptions.Web)!.AsObject();
        withPolicy["initialChampion"] ??= "approval";
        return await HttpAssert.JsonAsync(await PostModelAsync(new { name, description = $"{name} model", owner = "team-ml", schema = Samples.Schema(), policy = withPolicy, monitoring }), HttpStatusCode.Created);
    }

    public Task<HttpResponseMessage> PostVersionAsync(string model, HttpContent form, string caller = Callers.Root) =>
        SendAsync(caller, HttpMethod.Post, $"/api/models/{model}/versions", form);

    public async Task<JsonNode> RegisterVersionAsync(string model, byte[]? artifact = null, object? metadata = null, string? referenceCsv = null) =>
        await HttpAssert.JsonAsync(
            await PostVersionAsync(model, Samples.VersionForm(artifact ?? Samples.Artifact($"{model}-{Guid.NewGuid()}"), metadata, referenceCsv)),
            HttpStatusCode.Created);

    /// <summary>A model with <paramref name="versions"/> versions (with reference profiles) and no champion.</summary>
    public async Task SeedModelAsync(string name, int versions, object? policy = null)
    {
        await RegisterModelAsync(name, policy);
        for (int i = 0; i < versions; i++)
            await RegisterVersionAsync(name, referenceCsv: Samples.ReferenceCsv());
    }

    public Task<HttpResponseMessage> PostPromotionAsync(string caller, string model, string version, object? evidence = null, string? notes = null) =>
        PostJsonAsync(caller, "/api/promotions", new { model, version, evidence, notes });

    public async Task<JsonNode> RequestPromotionAsync(string caller, string model, string version, object? evidence = null) =>
        await HttpAssert.JsonAsync(await PostPromotionAsync(caller, model, version, evidence, notes: "retrained on February data"), HttpStatusCode.Created);

    /// <summary>POST /api/promotions/{id}/approve|reject|cancel.</summary>
    public Task<HttpResponseMessage> DecideAsync(string caller, string id, string decision, string? comment = null) =>
        PostJsonAsync(caller, $"/api/promotions/{id}/{decision}", new { comment });

    public async Task<JsonNode> ApproveAsync(string caller, string id, string? comment = null) =>
        await HttpAssert.JsonAsync(await DecideAsync(caller, id, "approve", comment), HttpStatusCode.OK);

    /// <summary>Makes <paramref name="version"/> the champion: carl asks, ann approves (the default policy needs one approval).</summary>
    public async Task<string> PromoteAsync(string model, string version)
    {
        string id = Id(await RequestPromotionAsync(Callers.Carl, model, version));
        var approved = await ApproveAsync(Callers.Ann, id);
        Assert.Equal("approved", (string?)approved["state"]);
        return id;
    }

    public async Task<JsonNode> PromotionAsync(string id) => await GetJsonAsync($"/api/promotions/{id}");

    public async Task<string?> ChampionAsync(string model) =>
        (string?)(await GetJsonAsync($"/api/models/{model}"))["aliases"]?["champion"];

    /// <summary>The model's audit log, oldest first.</summary>
    public async Task<List<JsonNode>> AuditAsync(string model) =>
        [.. (await GetJsonAsync($"/api/audit?model={model}")).AsArray().Reverse().Select(e => e!)];

    public static string Id(JsonNode promotion) => (string?)promotion["id"] ?? throw new Xunit.Sdk.XunitException("A promotion without an id.");
}
