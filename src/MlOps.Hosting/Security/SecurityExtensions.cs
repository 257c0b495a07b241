using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using MlOps.Hosting.Options;

namespace MlOps.Hosting.Security;

/// <summary>Authentication (API keys or JWT bearer, from <c>MlOps:Auth</c>) and the role policies every service uses.</summary>
public static class SecurityExtensions
{
    /// <summary>Adds authentication and the <see cref="Roles"/> policies (once per host).</summary>
    public static void AddMlOpsSecurity(this IHostApplicationBuilder builder)
    {
        if (builder.Services.Any(s => s.ServiceType == typeof(IAuthorizationMiddlewareResultHandler) && s.ImplementationType == typeof(ProblemAuthorizationResultHandler)))
            return;
        builder.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        var mode = builder.Configuration.GetSection(AuthOptions.Section).GetValue<AuthMode?>(nameof(AuthOptions.Mode)) ?? AuthMode.ApiKeys;

        // Nothing here protects data that must outlive the process (API keys and bearer tokens are checked, not
        // issued; there are no cookies), so ASP.NET's data-protection keys stay in memory: by default it wrote a
        // key ring to the home directory (read-only in a container) and warned at every start that it was unencrypted.
        builder.Services.AddDataProtection().UseEphemeralDataProtectionProvider();
        var authentication = builder.Services.AddAuthentication(mode == AuthMode.Jwt ? JwtBearerDefaults.AuthenticationScheme : ApiKeyAuthenticationHandler.SchemeName);
        if (mode == AuthMode.Jwt)
        {
            authentication.AddJwtBearer();
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<IOptions<AuthOptions>>((jwt, auth) =>
            {
                var o = auth.Value.Jwt;
                jwt.MapInboundClaims = false;
                jwt.Authority = o.Authority;
                jwt.Audience = o.Audience;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidAudience = o.Audience,
                    ValidIssuer = o.Issuer,
                    ValidateIssuer = o.Issuer is not null || o.Authority is not null,
                    RoleClaimType = o.RoleClaim,
                    NameClaimType = o.NameClaim,
                    IssuerSigningKey = o.SigningKey is null ? null : new SymmetricSecurityKey(Encoding.UTF8.GetBytes(o.SigningKey)),
                };
            });
        }
        else
        {
            builder.Services.AddSingleton<ApiKeyRing>();
            authentication.AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
        }

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Roles.CanView, p => p.RequireRole(Roles.Viewer, Roles.Approver, Roles.Admin))
            .AddPolicy(Roles.CanApprove, p => p.RequireRole(Roles.Approver, Roles.Admin))
            .AddPolicy(Roles.CanAdminister, p => p.RequireRole(Roles.Admin))
            .AddPolicy(Roles.CanIngest, p => p.RequireRole(Roles.Producer, Roles.Admin));
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
    }

    /// <summary>The caller's name for the audit log.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.Identity?.Name ?? "anonymous";

    /// <summary>The caller's role.</summary>
    public static string Role(this ClaimsPrincipal user) =>
        Roles.All.LastOrDefault(user.IsInRole) ?? (user.IsInRole(Roles.Producer) ? Roles.Producer : "none");
}
