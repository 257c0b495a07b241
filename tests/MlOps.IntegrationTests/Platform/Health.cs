using System.Net;
using System.Text.Json;

namespace MlOps.IntegrationTests.Platform;

/// <summary>Reads <c>/health/live</c> and <c>/health/ready</c> anonymously, as a Kubernetes probe does.</summary>
internal static class Health
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(Uri baseUrl, string path)
    {
        using var response = await Http.GetAsync(new Uri(baseUrl, path));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body);
    }

    /// <summary>The status of the named check in a health body ("healthy", "degraded", "unhealthy").</summary>
    public static string? Check(JsonElement body, string name) =>
        body.GetProperty("checks").EnumerateArray().Where(c => c.GetProperty("name").GetString() == name).Select(c => c.GetProperty("status").GetString()).FirstOrDefault();

    public static async Task WaitReadyAsync(Uri baseUrl, string what)
    {
        (HttpStatusCode Status, JsonElement Body) last = default;
        // A monitor joins its Kafka group and reads the registry first: under a loaded CI machine that takes a while.
        await Eventually.HoldsAsync(async () => (last = await GetAsync(baseUrl, "health/ready")).Status == HttpStatusCode.OK, $"{what} is ready", TimeSpan.FromSeconds(90));
    }
}
