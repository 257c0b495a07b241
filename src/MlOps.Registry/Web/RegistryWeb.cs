using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MlOps.Registry.Web;

/// <summary>
/// The registry's web page: static HTML, CSS and script embedded in the assembly (no front-end build step). The page
/// itself is public; every piece of data it shows comes from the API with the user's key.
/// </summary>
internal static class RegistryWebEndpoints
{
    private static readonly (string Path, string Resource, string ContentType)[] Files =
    [
        ("/", "index.html", "text/html; charset=utf-8"),
        ("/app.js", "app.js", "text/javascript; charset=utf-8"),
        ("/app.css", "app.css", "text/css; charset=utf-8"),
    ];

    public static void MapRegistryWeb(this IEndpointRouteBuilder routes)
    {
        foreach (var (path, resource, contentType) in Files)
        {
            byte[] content = Load(resource);
            routes.MapGet(path, (HttpContext context) =>
            {
                context.Response.Headers.CacheControl = "no-cache";
                context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; style-src 'self'; script-src 'self'; img-src 'self' data:";
                context.Response.Headers.XContentTypeOptions = "nosniff";
                return Results.Bytes(content, contentType);
            }).AllowAnonymous().ExcludeFromDescription();
        }
    }

    private static byte[] Load(string name)
    {
        using var stream = typeof(RegistryWebEndpoints).Assembly.GetManifestResourceStream($"MlOps.Registry.Web.{name}")
            ?? throw new InvalidOperationException($"Embedded web file {name} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
