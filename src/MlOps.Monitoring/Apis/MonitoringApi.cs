using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Hosting.Security;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Apis;

/// <summary>GET /api/monitoring/{model}/windows?from=&amp;to=: closed windows with every feature's statistic, threshold and verdict, and the metrics.</summary>
internal static class MonitoringApi
{
    public static void MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/monitoring/{model}/windows", Windows).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
    }

    private static async Task<Results<Ok<IReadOnlyList<WindowResult>>, NotFound<ProblemDetailsBody>, ValidationProblem>> Windows(
        string model,
        DateTimeOffset? from,
        DateTimeOffset? to,
        IModelCatalog catalog,
        Database database,
        MonitorStateStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        if (catalog.Find(model) is null)
        {
            await catalog.RefreshAsync(model, ct);
            if (catalog.Find(model) is null)
                return TypedResults.NotFound(new ProblemDetailsBody("Not found", 404, $"No model named '{model}'."));
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end.AddDays(-1);
        if (start >= end)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = ["from must be before to."] });
        await using var c = await database.OpenAsync(ct);
        var rows = await store.ListResultsAsync(c, model, start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds());
        // Sanitized on the way out too: rows stored by earlier versions may hold NaN (see FiniteResults).
        return TypedResults.Ok<IReadOnlyList<WindowResult>>([.. rows.Select(r => FiniteResults.Sanitize(JsonSerializer.Deserialize(r.ResultJson, MonitoringJsonContext.Default.WindowResult)!))]);
    }

    internal sealed record ProblemDetailsBody(string Title, int Status, string Detail);
}
