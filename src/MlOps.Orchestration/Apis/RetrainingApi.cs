using System.Security.Claims;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Hosting.Bus;
using MlOps.Hosting.Security;
using MlOps.Orchestration.Persistence;
using MlOps.Storage;
using MlOps.Storage.Retraining;

namespace MlOps.Orchestration.Apis;

/// <summary>/api/retraining: ask for a run, list runs, read one.</summary>
internal static class RetrainingApi
{
    /// <summary>How long POST waits for the saga to record the request before answering without the run.</summary>
    private static readonly TimeSpan RecordWait = TimeSpan.FromSeconds(10);

    public static void MapRetrainingApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/retraining").WithTags("Retraining");
        group.MapPost("/", Request).RequireAuthorization(Roles.CanApprove);
        group.MapGet("/", List).RequireAuthorization(Roles.CanView);
        group.MapGet("/{id}", Get).RequireAuthorization(Roles.CanView);
    }

    /// <summary>
    /// POST /api/retraining <c>{model, reason}</c>: publishes <see cref="RetrainingRequested"/> and answers 202 with the
    /// run it started, joined or was skipped as (once the saga recorded it; 202 without a body if that takes longer).
    /// </summary>
    private static async Task<IResult> Request(
        RetrainingRequestBody? body,
        ClaimsPrincipal user,
        IRetrainingGateway gateway,
        IBus bus,
        IOptions<BusOptions> busOptions,
        HttpContext http,
        Database database,
        RetrainingStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body?.Model))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["model"] = ["The model to retrain is required."] });
        string model = body.Model.Trim();
        // Checked here, before the registry is asked: a name it could never hold would come back as its 400 or 414.
        if (!ModelNames.IsValid(model))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["model"] = [$"A model name is {ModelNames.Rule}."] });
        if (await gateway.GetModelAsync(model, ct) is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No model named '{model}'.");

        var asked = time.GetUtcNow();
        string reason = string.IsNullOrWhiteSpace(body.Reason) ? "requested by hand" : body.Reason.Trim();
        var request = new RetrainingRequested { Model = model, Reason = reason, RequestedBy = user.Actor(), Timestamp = asked };
        try
        {
            // Bounded: with the broker gone (or its confirm lost) the publish would hold the request forever.
            await busOptions.Value.WithinAsync(token => bus.Publish(request, token), ct);
        }
        catch (TimeoutException e)
        {
            http.Response.Headers.RetryAfter = "30";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "The message bus did not take the request",
                detail: $"{e.Message} The request may still arrive: see GET /api/retraining?model={model} before asking again (a second request joins the first run).");
        }

        // The saga records the request (a new run, a joined one, or a skipped one) in its own transaction; show it.
        var until = asked + RecordWait;
        while (time.GetUtcNow() < until)
        {
            await using (var c = await database.OpenAsync(ct))
            {
                var latest = (await store.ListRunsAsync(c, model, 1)).FirstOrDefault();
                if (latest is not null && latest.UpdatedAt >= asked.ToUnixTimeMilliseconds() && latest.HistoryJson.Contains(EscapeForSearch(reason), StringComparison.Ordinal))
                    return TypedResults.Accepted($"/api/retraining/{latest.Id}", RetrainingSagaStore.ToResponse(latest));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), time, ct);
        }

        // Not recorded yet (a busy bus): the request stands; the body says so with an empty id.
        return TypedResults.Accepted(
            $"/api/retraining?model={Uri.EscapeDataString(model)}",
            new RetrainingRunResponse("", model, RetrainingStates.Requested, "manual", reason, null, null, [], asked, asked));
    }

    private static async Task<IResult> List(string? model, int? limit, Database database, RetrainingStore store, CancellationToken ct)
    {
        if (limit is < 1 or > 1000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be within 1..1000."] });
        model = string.IsNullOrWhiteSpace(model) ? null : model.Trim();
        if (model is not null && !ModelNames.IsValid(model))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["model"] = [$"A model name is {ModelNames.Rule}."] });
        await using var c = await database.OpenAsync(ct);
        var rows = await store.ListRunsAsync(c, model, limit ?? 100);
        return TypedResults.Json<IReadOnlyList<RetrainingRunResponse>>([.. rows.Select(RetrainingSagaStore.ToResponse)], RegistryJsonContext.Default.IReadOnlyListRetrainingRunResponse);
    }

    private static async Task<IResult> Get(string id, Database database, RetrainingStore store, CancellationToken ct)
    {
        await using var c = await database.OpenAsync(ct);
        return await store.GetRunAsync(c, id) is { } row
            ? TypedResults.Json(RetrainingSagaStore.ToResponse(row), RegistryJsonContext.Default.RetrainingRunResponse)
            : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No retraining run '{id}'.");
    }

    // The history is JSON: the reason appears in it with JSON escaping.
    private static string EscapeForSearch(string text) => System.Text.Json.JsonSerializer.Serialize(text)[1..^1];
}
