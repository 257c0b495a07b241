using MlOps.Contracts.Registry;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Registry.Models;
using MlOps.Hosting.Security;
using MlOps.Storage;
using MlOps.Storage.Registry;

namespace MlOps.Registry.Apis;

/// <summary>/api/audit (read-only: the log has no edit or delete endpoint) and /api/me.</summary>
internal static class AuditApi
{
    public static void MapAuditApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/audit", List).WithTags("Audit").RequireAuthorization(Roles.CanView).AddEndpointFilter<RegistryErrorFilter>();
        routes.MapGet("/api/me", Me).WithTags("Audit").RequireAuthorization(Roles.CanView);
    }

    private static async Task<Ok<IReadOnlyList<AuditResponse>>> List(string? model, long? before, int? limit, Database database, AuditStore audit, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            throw RegistryException.Invalid("limit", "limit is between 1 and 1000.");
        if (model is not null && !ModelNames.IsValid(model))
            throw RegistryException.Invalid("model", $"A model name is {ModelNames.Rule}.");
        await using var c = await database.OpenAsync(ct);
        var rows = await audit.ListAsync(c, model, before, limit ?? 200);
        return TypedResults.Ok<IReadOnlyList<AuditResponse>>([.. rows.Select(e => new AuditResponse(
            e.Id,
            Documents.Time(e.At),
            e.Actor,
            e.Action,
            e.ModelName,
            e.Entity,
            e.EntityId,
            e.BeforeJson is null ? null : JsonNode.Parse(e.BeforeJson),
            e.AfterJson is null ? null : JsonNode.Parse(e.AfterJson)))]);
    }

    private static Ok<MeResponse> Me(System.Security.Claims.ClaimsPrincipal user) => TypedResults.Ok(new MeResponse(user.Actor(), user.Role()));
}
