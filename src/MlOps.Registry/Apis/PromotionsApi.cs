using MlOps.Contracts.Registry;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Registry.Promotions;
using MlOps.Hosting.Security;

namespace MlOps.Registry.Apis;

/// <summary>/api/promotions: request, list, approve, reject, cancel.</summary>
internal static class PromotionsApi
{
    public static RouteGroupBuilder MapPromotionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/promotions").WithTags("Promotions").AddEndpointFilter<RegistryErrorFilter>();
        group.MapGet("/", List).RequireAuthorization(Roles.CanView);
        group.MapPost("/", Request).RequireAuthorization(Roles.CanApprove);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.CanView);
        group.MapPost("/{id}/approve", Approve).RequireAuthorization(Roles.CanApprove);
        group.MapPost("/{id}/reject", Reject).RequireAuthorization(Roles.CanApprove);
        group.MapPost("/{id}/cancel", Cancel).RequireAuthorization(Roles.CanApprove);
        return group;
    }

    private static async Task<Ok<IReadOnlyList<PromotionResponse>>> List(string? model, string? state, PromotionService promotions, CancellationToken ct)
    {
        // A filter that cannot be a model name is a mistake (or an attack), not a question with an empty answer.
        if (model is not null && !ModelNames.IsValid(model))
            throw RegistryException.Invalid("model", $"A model name is {ModelNames.Rule}.");
        return TypedResults.Ok(await promotions.ListAsync(model, state, ct));
    }

    private static async Task<Ok<PromotionResponse>> Get(string id, PromotionService promotions, CancellationToken ct) =>
        TypedResults.Ok(await promotions.GetAsync(id, ct));

    private static async Task<Created<PromotionResponse>> Request(PromotionRequestBody body, PromotionService promotions, ClaimsPrincipal user, CancellationToken ct)
    {
        var created = await promotions.RequestAsync(body, user.Actor(), ct);
        return TypedResults.Created($"/api/promotions/{created.Id}", created);
    }

    private static async Task<Ok<PromotionResponse>> Approve(string id, DecisionRequest? body, PromotionService promotions, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await promotions.ApproveAsync(id, body?.Comment, user.Actor(), ct));

    private static async Task<Ok<PromotionResponse>> Reject(string id, DecisionRequest? body, PromotionService promotions, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await promotions.RejectAsync(id, body?.Comment, user.Actor(), ct));

    private static async Task<Ok<PromotionResponse>> Cancel(string id, DecisionRequest? body, PromotionService promotions, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await promotions.CancelAsync(id, body?.Comment, user.Actor(), user.IsInRole(Roles.Admin), ct));
}
