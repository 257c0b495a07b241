using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MlOps.Hosting.Security;

/// <summary>
/// Authenticates <c>X-Api-Key: KEY</c> (or <c>Authorization: ApiKey KEY</c>) against the SHA-256 hashes of the
/// configured keys, compared in constant time. The key itself is never stored or logged.
/// </summary>
internal sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRing keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? key = Request.Headers[Header].FirstOrDefault();
        if (string.IsNullOrEmpty(key))
        {
            string? authorization = Request.Headers.Authorization.FirstOrDefault();
            if (authorization is not null && authorization.StartsWith("ApiKey ", StringComparison.OrdinalIgnoreCase))
                key = authorization["ApiKey ".Length..].Trim();
        }

        if (string.IsNullOrEmpty(key))
            return Task.FromResult(AuthenticateResult.NoResult());
        var caller = keys.Find(key);
        if (caller is null)
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, caller.Name), new Claim(ClaimTypes.Role, caller.Role)],
            SchemeName,
            ClaimTypes.Name,
            ClaimTypes.Role);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>The configured API keys, as SHA-256 hashes only.</summary>
internal sealed class ApiKeyRing
{
    private readonly List<(byte[] Hash, string Name, string Role)> _keys = [];

    public ApiKeyRing(IOptions<AuthOptions> options)
    {
        foreach (var key in options.Value.ApiKeys)
        {
            byte[] hash = key.KeySha256 is { Length: > 0 } hex ? Convert.FromHexString(hex) : SHA256.HashData(Encoding.UTF8.GetBytes(key.Key!));
            _keys.Add((hash, key.Name, key.Role));
        }
    }

    public Caller? Find(string key)
    {
        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        Caller? found = null;
        // Compare against every key so the time taken does not say which one (almost) matched.
        foreach (var (candidate, name, role) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(candidate, hash))
                found = new Caller(name, role);
        }

        return found;
    }

    public sealed record Caller(string Name, string Role);
}
