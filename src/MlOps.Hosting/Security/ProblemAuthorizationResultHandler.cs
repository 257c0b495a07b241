using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace MlOps.Hosting.Security;

/// <summary>Answers 401 and 403 with a problem+json body that says what is missing, for every authentication scheme.</summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            context.Response.Headers.WWWAuthenticate = $"{ApiKeyAuthenticationHandler.SchemeName}, Bearer";
            await Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Authentication required",
                detail: $"Send a valid API key in the {ApiKeyAuthenticationHandler.Header} header (or a bearer token in distributed mode).").ExecuteAsync(context);
            return;
        }

        if (authorizeResult.Forbidden)
        {
            string role = context.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value ?? "none";
            await Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Forbidden",
                detail: $"Your role ({role}) may not do this; it needs {Needed(policy)}.").ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    private static string Needed(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<Microsoft.AspNetCore.Authorization.Infrastructure.RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
        return roles.Count == 0 ? "another role" : $"one of: {string.Join(", ", roles)}";
    }
}
