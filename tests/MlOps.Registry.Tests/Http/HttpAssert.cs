using System.Net;
using System.Text.Json.Nodes;

namespace MlOps.Registry.Tests.Http;

/// <summary>Status and body checks that show the response body when they fail.</summary>
public static class HttpAssert
{
    public static async Task<JsonNode> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new Xunit.Sdk.XunitException($"{Describe(response)}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {body}");
        return JsonNode.Parse(body) ?? throw new Xunit.Sdk.XunitException($"{Describe(response)}: the body is JSON null.");
    }

    public static async Task StatusAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            throw new Xunit.Sdk.XunitException($"{Describe(response)}: expected {(int)expected} {expected}, got {(int)response.StatusCode} {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// A problem+json answer with <paramref name="expected"/> status; with <paramref name="field"/>, a validation
    /// problem whose <c>errors</c> name that field.
    /// </summary>
    public static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? field = null)
    {
        var problem = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal((int)expected, (int?)problem["status"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]), "A problem has a title.");
        if (field is not null)
        {
            var errors = problem["errors"]?.AsObject() ?? throw new Xunit.Sdk.XunitException($"No 'errors' in {problem.ToJsonString()}");
            Assert.True(errors.ContainsKey(field), $"Expected errors to name '{field}': {problem.ToJsonString()}");
        }

        return problem;
    }

    private static string Describe(HttpResponseMessage response) =>
        $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}";
}
