using MlOps.Contracts.Monitoring;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using MlOps.Monitoring.Catalog;
using MlOps.Monitoring.Evaluation;
using MlOps.Monitoring.Reports;
using MlOps.Monitoring.Windows;
using MlOps.Hosting.Security;
using MlOps.Storage;
using MlOps.Storage.Monitoring;

namespace MlOps.Monitoring.Apis;

/// <summary>GET /api/monitoring/{model}/windows?from=&amp;to=: closed windows with every feature's statistic, threshold and verdict, and the metrics.</summary>
internal static class MonitoringApi
{
    public static void MapMonitoringApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/monitoring/models", Models).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
        routes.MapGet("/api/monitoring/{model}/windows", Windows).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
        routes.MapGet("/api/monitoring/{model}/examples/count", CountExamples).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
        routes.MapGet("/api/monitoring/{model}/examples", Examples).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
        routes.MapGet("/api/monitoring/{model}/windows/{windowStart}/report", WindowReport).WithTags("Monitoring").RequireAuthorization(Roles.CanView);
    }

    /// <summary>
    /// GET /api/monitoring/models: the models this monitor watches (its catalog, as last read from the registry), by
    /// name: task, champion, the versions with a reference profile, window size — what a page or a script on the
    /// monitor's own host needs without access to the registry.
    /// </summary>
    private static Ok<IReadOnlyList<MonitoredModel>> Models(IModelCatalog catalog) =>
        TypedResults.Ok<IReadOnlyList<MonitoredModel>>([.. catalog.All.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new MonitoredModel(
            m.Name,
            m.Schema.Task.ToString().ToLowerInvariant(),
            m.ChampionVersion,
            [.. m.Versions.Where(v => v.Value.Profile is not null).Select(v => v.Key).Order(StringComparer.Ordinal)],
            m.Monitoring.WindowMinutes))]);

    private static async Task<Results<Ok<IReadOnlyList<WindowResult>>, ProblemHttpResult, ValidationProblem>> Windows(
        string model,
        DateTimeOffset? from,
        DateTimeOffset? to,
        HttpContext http,
        IModelCatalog catalog,
        Database database,
        MonitorStateStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        var range = await RangeAsync(model, from, to, TimeSpan.FromDays(1), catalog, time, ct);
        if (range.Error is { } error)
            return error.Status == 404 ? NotFound(error) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [error.Detail] });
        await using var c = await database.OpenAsync(ct);
        var rows = await store.ListResultsAsync(c, model, range.From, range.To);
        if (rows.Count == 0)
            http.Response.Headers[EmptyReasonHeader] = NoWindowReason(model, range.From, range.To, catalog);
        // Sanitized on the way out too: rows stored by earlier versions may hold NaN (see FiniteResults).
        return TypedResults.Ok<IReadOnlyList<WindowResult>>([.. rows.Select(r => WithReportUrl(FiniteResults.Sanitize(JsonSerializer.Deserialize(r.ResultJson, MonitoringJsonContext.Default.WindowResult)!)))]);
    }

    /// <summary>The header that says why a list is empty (a JSON array has no room for it).</summary>
    public const string EmptyReasonHeader = "X-MlOps-Empty-Reason";

    // Why no window is listed: only closed windows are, and what closes one.
    private static string NoWindowReason(string model, long from, long to, IModelCatalog catalog)
    {
        var config = catalog.Find(model)?.Monitoring;
        string size = config is null ? "" : string.Create(CultureInfo.InvariantCulture, $" ({config.WindowMinutes:0.##}-minute windows, {config.AllowedLatenessMinutes:0.##} min allowed lateness)");
        return string.Create(CultureInfo.InvariantCulture,
            $"No window of {model} closed between {DateTimeOffset.FromUnixTimeMilliseconds(from):O} and {DateTimeOffset.FromUnixTimeMilliseconds(to):O}{size}. Only closed windows are listed: a window closes when events past its end plus the allowed lateness arrive, or when its partitions have been idle for MlOps:Monitoring:IdleTimeout. Widen the range with ?from= for older traffic.");
    }

    private static WindowResult WithReportUrl(WindowResult w) => w with { ReportUrl = WindowReports.Url(w.Model, w.Version, w.WindowStart) };

    /// <summary>
    /// GET /api/monitoring/{model}/windows/{windowStart}/report?version=V: the closed window's drift report as one
    /// self-contained HTML page (the numbers of the windows API, the window's and its reference's distributions).
    /// windowStart is the ISO-8601 start the windows API prints (URL-escaped) or Unix milliseconds; without version,
    /// the one version with a window there. 404 without such a window, 400 naming the versions when several have one.
    /// </summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> WindowReport(
        string model,
        string windowStart,
        string? version,
        HttpContext http,
        IModelCatalog catalog,
        Database database,
        MonitorStateStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        if (!WindowReports.TryParseStart(windowStart, out long start))
            return TypedResults.Problem(title: "Bad request", statusCode: 400, detail: $"windowStart '{windowStart}' is neither an ISO-8601 timestamp nor Unix milliseconds.");
        if (catalog.Find(model) is null)
            await catalog.RefreshAsync(model, ct);
        if (catalog.Find(model) is not { } context)
            return TypedResults.Problem(title: "Not found", statusCode: 404, detail: $"No model named '{model}'.");

        IReadOnlyList<WindowResultRow> rows;
        await using (var c = await database.OpenAsync(ct))
            rows = await store.FindResultsAtAsync(c, model, start);
        string at = DateTimeOffset.FromUnixTimeMilliseconds(start).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(version))
            rows = [.. rows.Where(r => r.Version == version)];
        if (rows.Count == 0)
            return TypedResults.Problem(title: "Not found", statusCode: 404, detail: $"Model '{model}' has no closed window{(string.IsNullOrEmpty(version) ? "" : $" of version {version}")} that starts at {at}.");
        var versions = rows.Select(r => r.Version).Distinct(StringComparer.Ordinal).ToList();
        if (versions.Count > 1)
        {
            return TypedResults.Problem(
                title: "Bad request",
                statusCode: 400,
                detail: $"Windows of versions {string.Join(", ", versions)} of model '{model}' start at {at}: choose one with ?version=.",
                extensions: new Dictionary<string, object?> { ["versions"] = versions });
        }

        var row = rows[0];
        var result = FiniteResults.Sanitize(JsonSerializer.Deserialize(row.ResultJson, MonitoringJsonContext.Default.WindowResult)!);
        Statistics.Profiles.DatasetProfile? profile = null;
        string? profileMissing = null;
        try
        {
            profile = row.Profile is { } stored ? WindowPartialSerializer.DeserializeProfile(stored) : null;
        }
        catch (FormatException e)
        {
            profileMissing = $"the window's stored profile cannot be read ({e.Message})";
        }

        string html = MlOps.Reports.DriftReportHtml.Render(WindowReports.Build(result, profile, profileMissing, context, time.GetUtcNow()));
        http.Response.Headers.ContentSecurityPolicy = MlOps.Reports.DriftReportHtml.ContentSecurityPolicy + "; frame-ancestors 'self'";
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-cache";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }

    /// <summary>
    /// GET /api/monitoring/{model}/examples?from=&amp;to=: the model's labelled examples (a prediction joined to its
    /// outcome, with its features) whose prediction time is in [from, to) — default the last 30 days — as NDJSON, oldest
    /// first, streamed as read: one <c>{predictionId, model, version, timestamp, features, actual, prediction, score}</c>
    /// per line.
    /// </summary>
    private static async Task<IResult> Examples(
        string model,
        DateTimeOffset? from,
        DateTimeOffset? to,
        HttpContext http,
        IModelCatalog catalog,
        Database database,
        MonitorStateStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        var range = await RangeAsync(model, from, to, TimeSpan.FromDays(30), catalog, time, ct);
        if (range.Error is { } error)
            return error.Status == 404 ? NotFound(error) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [error.Detail] });
        http.Response.ContentType = "application/x-ndjson";
        await using var c = await database.OpenAsync(ct);
        var body = http.Response.BodyWriter;
        int written = 0;
        // The store holds each example as the line served (see LabelledExampleBlocks): copied as it is.
        await foreach (var line in store.Join.StreamExamplesAsync(c, model, range.From, range.To).WithCancellation(ct))
        {
            var span = body.GetSpan(System.Text.Encoding.UTF8.GetMaxByteCount(line.Json.Length) + 1);
            int n = System.Text.Encoding.UTF8.GetBytes(line.Json.Span, span);
            span[n] = (byte)'\n';
            body.Advance(n + 1);
            if (++written % 500 == 0)
                await body.FlushAsync(ct);
        }

        await body.FlushAsync(ct);
        return Microsoft.AspNetCore.Http.Results.Empty;
    }

    /// <summary>GET /api/monitoring/{model}/examples/count?from=&amp;to=: how many labelled examples the range holds (same defaults as the examples).</summary>
    private static async Task<IResult> CountExamples(
        string model,
        DateTimeOffset? from,
        DateTimeOffset? to,
        IModelCatalog catalog,
        Database database,
        MonitorStateStore store,
        TimeProvider time,
        CancellationToken ct)
    {
        var range = await RangeAsync(model, from, to, TimeSpan.FromDays(30), catalog, time, ct);
        if (range.Error is { } error)
            return error.Status == 404 ? NotFound(error) : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["from"] = [error.Detail] });
        await using var c = await database.OpenAsync(ct);
        long rows = await store.Join.CountExamplesAsync(c, model, range.From, range.To);
        return TypedResults.Json(
            new LabelledExampleCount(model, DateTimeOffset.FromUnixTimeMilliseconds(range.From), DateTimeOffset.FromUnixTimeMilliseconds(range.To), rows),
            MlOps.Contracts.Registry.RegistryJsonContext.Default.LabelledExampleCount);
    }

    // The model must be registered (re-read once on a miss) and [from, to) a range; to defaults to now, from to
    // `span` before it. Unix ms, or the problem to answer.
    private static async Task<(long From, long To, ProblemDetailsBody? Error)> RangeAsync(string model, DateTimeOffset? from, DateTimeOffset? to, TimeSpan span, IModelCatalog catalog, TimeProvider time, CancellationToken ct)
    {
        if (catalog.Find(model) is null)
        {
            await catalog.RefreshAsync(model, ct);
            if (catalog.Find(model) is null)
                return (0, 0, new ProblemDetailsBody("Not found", 404, $"No model named '{model}'."));
        }

        var end = to ?? time.GetUtcNow();
        var start = from ?? end - span;
        return start < end
            ? (start.ToUnixTimeMilliseconds(), end.ToUnixTimeMilliseconds(), null)
            : (0, 0, new ProblemDetailsBody("Bad request", 400, "from must be before to."));
    }

    // A problem+json 404, as every other MlOps API answers one.
    private static ProblemHttpResult NotFound(ProblemDetailsBody error) => TypedResults.Problem(title: error.Title, statusCode: error.Status, detail: error.Detail);

    internal sealed record ProblemDetailsBody(string Title, int Status, string Detail);
}
