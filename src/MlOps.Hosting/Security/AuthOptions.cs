using System.ComponentModel.DataAnnotations;

namespace MlOps.Hosting.Security;

/// <summary>
/// Configuration section <c>MlOps:Auth</c>. <c>ApiKeys</c> mode (embedded default) reads keys from configuration,
/// keeping only their SHA-256; <c>Jwt</c> mode (distributed) validates bearer tokens with a role claim.
/// </summary>
public sealed class AuthOptions : IValidatableObject
{
    /// <summary>The configuration section.</summary>
    public const string Section = "MlOps:Auth";

    /// <summary><c>ApiKeys</c> or <c>Jwt</c>.</summary>
    public AuthMode Mode { get; set; } = AuthMode.ApiKeys;

    /// <summary>API keys (ApiKeys mode).</summary>
    public List<ApiKeyOptions> ApiKeys { get; set; } = [];

    /// <summary>JWT validation (Jwt mode).</summary>
    public JwtOptions Jwt { get; set; } = new();

    /// <inheritdoc/>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Mode == AuthMode.ApiKeys)
        {
            for (int i = 0; i < ApiKeys.Count; i++)
            {
                var key = ApiKeys[i];
                string path = $"{Section}:ApiKeys:{i}";
                if (string.IsNullOrWhiteSpace(key.Name))
                    yield return new ValidationResult($"{path}:Name is required.");
                if (!Roles.IsKnown(key.Role))
                    yield return new ValidationResult($"{path}:Role must be one of {string.Join(", ", Roles.Names)} (was '{key.Role}').");
                bool hasHash = !string.IsNullOrWhiteSpace(key.KeySha256);
                bool hasKey = !string.IsNullOrWhiteSpace(key.Key);
                if (hasHash == hasKey)
                    yield return new ValidationResult($"{path}: set exactly one of KeySha256 (recommended) or Key.");
                if (hasHash && !IsSha256Hex(key.KeySha256!))
                    yield return new ValidationResult($"{path}:KeySha256 must be 64 hex characters (sha256sum of the key).");
                if (hasKey && key.Key!.Length < 16)
                    yield return new ValidationResult($"{path}:Key must be at least 16 characters.");
            }
        }
        else
        {
            if (string.IsNullOrWhiteSpace(Jwt.Authority) && string.IsNullOrWhiteSpace(Jwt.SigningKey))
                yield return new ValidationResult($"{Section}:Jwt: set Authority (OpenID Connect issuer) or SigningKey (HMAC, at least 32 bytes).");
            if (!string.IsNullOrWhiteSpace(Jwt.SigningKey) && System.Text.Encoding.UTF8.GetByteCount(Jwt.SigningKey) < 32)
                yield return new ValidationResult($"{Section}:Jwt:SigningKey must be at least 32 bytes.");
        }
    }

    private static bool IsSha256Hex(string s) => s.Length == 64 && s.All(Uri.IsHexDigit);
}

/// <summary>How callers authenticate.</summary>
public enum AuthMode
{
    /// <summary><c>X-Api-Key</c> header (or <c>Authorization: ApiKey …</c>).</summary>
    ApiKeys,

    /// <summary><c>Authorization: Bearer &lt;JWT&gt;</c> with a role claim.</summary>
    Jwt,
}

/// <summary>One API key: a caller name, its role, and the key or (better) its SHA-256.</summary>
public sealed class ApiKeyOptions
{
    /// <summary>Who the key belongs to: appears in the audit log.</summary>
    public string Name { get; set; } = "";

    /// <summary>viewer, approver or admin.</summary>
    public string Role { get; set; } = Roles.Viewer;

    /// <summary>Lower-case hex SHA-256 of the key (<c>printf %s KEY | sha256sum</c>).</summary>
    public string? KeySha256 { get; set; }

    /// <summary>The key itself; hashed at start-up and not kept. Convenient for development only.</summary>
    public string? Key { get; set; }
}

/// <summary>JWT bearer validation settings.</summary>
public sealed class JwtOptions
{
    /// <summary>OpenID Connect issuer URL (keys are discovered from it).</summary>
    public string? Authority { get; set; }

    /// <summary>Expected audience.</summary>
    public string Audience { get; set; } = "mlops";

    /// <summary>Expected issuer (when using <see cref="SigningKey"/>).</summary>
    public string? Issuer { get; set; }

    /// <summary>HMAC-SHA256 signing key, for deployments without an identity provider.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The claim that carries the role.</summary>
    public string RoleClaim { get; set; } = "role";

    /// <summary>The claim that names the caller.</summary>
    public string NameClaim { get; set; } = "sub";
}
