using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Registry;

/// <summary>The registry's HTTP API as one caller uses it; a non-success answer fails the test with its problem body.</summary>
public sealed class RegistryApi(RegistryServer server, TestUser user) : IDisposable
{
    private readonly HttpClient _http = server.ClientFor(user);

    public Task RegisterModelAsync(string name) =>
        SendAsync(HttpMethod.Post, "api/models", JsonContent.Create(new
        {
            name,
            owner = "risk-team",
            schema = new { task = "binary", positiveClass = "1", features = new[] { new { name = "age", type = "numeric" } } },
        }));

    public async Task<string> RegisterVersionAsync(string model, IReadOnlyDictionary<string, double> metrics)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes($"model bytes {Guid.NewGuid()}")), "artifact", "model.zip");
        form.Add(new StringContent(JsonSerializer.Serialize(new { metrics }), Encoding.UTF8, "application/json"), "metadata");
        var version = await SendAsync(HttpMethod.Post, $"api/models/{model}/versions", form);
        return version["version"]!.GetValue<string>();
    }

    /// <summary>Requests promotion of <paramref name="version"/> with evidence; returns the promotion id.</summary>
    public async Task<string> RequestPromotionAsync(string model, string version, object evidence, string? notes = null)
    {
        var promotion = await SendAsync(HttpMethod.Post, "api/promotions", JsonContent.Create(new { model, version, evidence, notes }));
        return promotion["id"]!.GetValue<string>();
    }

    public Task ApproveAsync(string promotionId, string comment) =>
        SendAsync(HttpMethod.Post, $"api/promotions/{promotionId}/approve", JsonContent.Create(new { comment }));

    /// <summary>The version the <c>champion</c> alias points at, or null.</summary>
    public async Task<string?> ChampionAsync(string model)
    {
        var found = await SendAsync(HttpMethod.Get, $"api/models/{model}", null);
        return found["aliases"]?["champion"]?.GetValue<string>();
    }

    public async Task<string> PromotionStateAsync(string promotionId)
    {
        var promotion = await SendAsync(HttpMethod.Get, $"api/promotions/{promotionId}", null);
        return promotion["state"]!.GetValue<string>();
    }

    private async Task<JsonNode> SendAsync(HttpMethod method, string path, HttpContent? content)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        using var response = await _http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"{method} {path} as {user.Name}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body) ?? throw new HttpRequestException($"{method} {path}: empty body");
    }

    public void Dispose() => _http.Dispose();
}
