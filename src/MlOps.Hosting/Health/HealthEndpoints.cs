using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MlOps.Hosting.Health;

/// <summary>
/// <c>GET /health/live</c> (the process answers: no checks) and <c>GET /health/ready</c> (every check tagged
/// <see cref="ReadyTag"/>: database, bus, Kafka consumer where the service has one). Anonymous, JSON, 200 when
/// healthy, 503 naming the failing checks when not — what Kubernetes probes and load balancers read.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The tag of checks that decide readiness. MassTransit tags its bus check "ready" as well.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Maps both endpoints.</summary>
    public static IEndpointRouteBuilder MapMlOpsHealth(this IEndpointRouteBuilder routes)
    {
        routes.MapHealthChecks("/health/live", Options(_ => false)).AllowAnonymous();
        routes.MapHealthChecks("/health/ready", Options(r => r.Tags.Contains(ReadyTag))).AllowAnonymous();
        return routes;
    }

    private static HealthCheckOptions Options(Func<HealthCheckRegistration, bool> predicate) => new()
    {
        Predicate = predicate,
        ResultStatusCodes =
        {
            [HealthStatus.Healthy] = StatusCodes.Status200OK,
            [HealthStatus.Degraded] = StatusCodes.Status200OK,
            [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
        },
        ResponseWriter = WriteAsync,
    };

    private static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.Body);
        json.WriteStartObject();
        json.WriteString("status", Name(report.Status));
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
        json.WriteStartArray("checks");
        foreach (var (name, entry) in report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteString("status", Name(entry.Status));
            json.WriteString("description", entry.Description ?? entry.Exception?.Message ?? "");
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static string Name(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
