using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>Distributed mode: JWT bearer tokens with a role claim instead of API keys.</summary>
public sealed class JwtModeTests : IAsyncLifetime
{
    private const string SigningKey = "a-test-signing-key-of-at-least-32-bytes!";
    private IsolatedRegistry _registry = null!;

    public async Task InitializeAsync() => _registry = await IsolatedRegistry.StartAsync(StorageProvider.Sqlite, new Dictionary<string, string?>
    {
        ["MlOps:Auth:Mode"] = "Jwt",
        ["MlOps:Auth:Jwt:SigningKey"] = SigningKey,
        ["MlOps:Auth:Jwt:Issuer"] = "https://idp.test",
        ["MlOps:Auth:Jwt:Audience"] = "mlops",
    });

    public async Task DisposeAsync() => await _registry.DisposeAsync();

    [Fact]
    public async Task A_valid_token_authenticates_with_its_name_and_role()
    {
        using var client = Client(Token("alice", "approver"));
        var me = await client.GetStringAsync(new Uri("/api/me", UriKind.Relative));
        Assert.Contains("\"name\":\"alice\"", me, StringComparison.Ordinal);
        Assert.Contains("\"role\":\"approver\"", me, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_role_claim_decides_what_a_caller_may_do()
    {
        using var viewer = Client(Token("vic", "viewer"));
        var response = await viewer.PostAsync(new Uri("/api/models", UriKind.Relative), new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);

        using var admin = Client(Token("root", "admin"));
        var created = await admin.PostAsync(new Uri("/api/models", UriKind.Relative), new StringContent(
            """{"name":"jwt-model","schema":{"task":"regression","features":[{"name":"x","type":"numeric"}]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains("\"createdBy\":\"root\"", await created.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("wrong-signature")]
    [InlineData("expired")]
    [InlineData("wrong-audience")]
    [InlineData("none")]
    public async Task A_missing_or_invalid_token_is_401(string kind)
    {
        string? token = kind switch
        {
            "wrong-signature" => Token("mallory", "admin", key: "another-signing-key-of-at-least-32-bytes"),
            "expired" => Token("alice", "admin", expires: DateTime.UtcNow.AddMinutes(-10)),
            "wrong-audience" => Token("alice", "admin", audience: "someone-else"),
            _ => null,
        };
        using var client = Client(token);
        var response = await client.GetAsync(new Uri("/api/models", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private static string Token(string name, string role, string key = SigningKey, DateTime? expires = null, string audience = "mlops") =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "https://idp.test",
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", name), new Claim("role", role)]),
            NotBefore = (expires ?? DateTime.UtcNow.AddHours(1)).AddHours(-2),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
        });

    private HttpClient Client(string? token)
    {
        var server = (TestServer)_registry.App.Services.GetRequiredService<IServer>();
        var client = server.CreateClient();
        if (token is not null)
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
