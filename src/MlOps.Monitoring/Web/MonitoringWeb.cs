using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MlOps.Monitoring.Web;

/// <summary>
/// The monitoring page at <c>/monitoring</c>: static HTML, CSS and script embedded in the assembly (no front-end build
/// step, no CDN; the charts are SVG drawn by the page's own script). Served by the monitor itself, so it works on the
/// monitor's host in the distributed mode and on the single port of <c>mlops up</c>. The page is public; every piece
/// of data it shows comes from the API with the user's key.
/// </summary>
internal static class MonitoringWeb
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/monitoring", "monitoring.html", "text/html; charset=utf-8"),
        ("/monitoring/monitoring.js", "monitoring.js", "text/javascript; charset=utf-8"),
        ("/monitoring/charts.js", "charts.js", "text/javascript; charset=utf-8"),
        ("/monitoring/monitoring.css", "monitoring.css", "text/css; charset=utf-8"),
        ("/monitoring/report", "report.html", "text/html; charset=utf-8"),
        ("/monitoring/report.js", "report.js", "text/javascript; charset=utf-8"),
    ];

    // No inline script or style, nothing from another origin (the registry page's policy).
    private const string PagePolicy = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:; frame-ancestors 'none'";

    // The report tab's: a blob: document inherits it, and the report (self-contained HTML whose own policy forbids
    // script and fetching) brings its stylesheet inline.
    private const string ReportPolicy = "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self' 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

    public static void Map(IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            byte[] content = Load(resource);
            routes.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["Content-Security-Policy"] = resource.StartsWith("report", StringComparison.Ordinal) ? ReportPolicy : PagePolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return TypedResults.Bytes(content, contentType);
            }).AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(MonitoringWeb).Assembly.GetManifestResourceStream($"MlOps.Monitoring.Web.{name}")
            ?? throw new InvalidOperationException($"Embedded web file {name} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
