using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MlOps.Registry.Tests.Http;

/// <summary>
/// One endpoint of the API, the least role that may call it (null: anyone), the status it answers on success, and
/// how to build a request against a seeded registry.
/// </summary>
public sealed record Endpoint(string Name, string? LeastRole, HttpStatusCode Success, Func<SeededRegistry, HttpRequestMessage> Build)
{
    public static IReadOnlyList<Endpoint> All { get; } =
    [
        Get("GET /api/models", "viewer", _ => "/api/models"),
        Json("POST /api/models", "admin", HttpStatusCode.Created, HttpMethod.Post, _ => "/api/models", new { name = "new-model", schema = Samples.Schema() }),
        Get("GET /api/models/{name}", "viewer", s => $"/api/models/{s.Model}"),
        Get("GET /api/models/{name}/versions", "viewer", s => $"/api/models/{s.Model}/versions"),
        new("POST /api/models/{name}/versions", "admin", HttpStatusCode.Created, s => new HttpRequestMessage(HttpMethod.Post, $"/api/models/{s.Model}/versions")
        {
            Content = Samples.VersionForm(Samples.Artifact("matrix"), new { runId = "matrix" }),
        }),
        Get("GET /api/models/{name}/versions/{version}", "viewer", s => $"/api/models/{s.Model}/versions/2"),
        Get("GET /api/models/{name}/versions/{version}/artifact", "viewer", s => $"/api/models/{s.Model}/versions/2/artifact"),
        Get("GET /api/models/{name}/versions/{version}/reference-profile", "viewer", s => $"/api/models/{s.Model}/versions/2/reference-profile"),
        Json("PUT /api/models/{name}/aliases/{alias}", "admin", HttpStatusCode.OK, HttpMethod.Put, s => $"/api/models/{s.Model}/aliases/staging", new { version = "2" }),
        Json("POST /api/models/{name}/rollback", "admin", HttpStatusCode.OK, HttpMethod.Post, s => $"/api/models/{s.Model}/rollback", new { version = "2", reason = "matrix" }),
        Get("GET /api/promotions", "viewer", _ => "/api/promotions?state=pending"),
        Json("POST /api/promotions", "approver", HttpStatusCode.Created, HttpMethod.Post, _ => "/api/promotions", new { model = SeededRegistry.Idle, version = "1" }),
        Get("GET /api/promotions/{id}", "viewer", s => $"/api/promotions/{s.Pending}"),
        Json("POST /api/promotions/{id}/approve", "approver", HttpStatusCode.OK, HttpMethod.Post, s => $"/api/promotions/{s.Pending}/approve", new { comment = "ok" }),
        Json("POST /api/promotions/{id}/reject", "approver", HttpStatusCode.OK, HttpMethod.Post, s => $"/api/promotions/{s.Pending}/reject", new { comment = "no" }),
        Json("POST /api/promotions/{id}/cancel", "approver", HttpStatusCode.OK, HttpMethod.Post, s => $"/api/promotions/{s.PendingOfApprover}/cancel", new { comment = "mine" }),
        Get("GET /api/audit", "viewer", s => $"/api/audit?model={s.Model}"),
        Get("GET /api/me", "viewer", _ => "/api/me"),
        Get("GET /openapi/registry.json", null, _ => "/openapi/registry.json"),
        Get("GET /", null, _ => "/"),
        Get("GET /app.js", null, _ => "/app.js"),
        Get("GET /app.css", null, _ => "/app.css"),
    ];

    public static Endpoint Named(string name) => All.Single(e => e.Name == name);

    public override string ToString() => Name;

    private static Endpoint Get(string name, string? leastRole, Func<SeededRegistry, string> path) =>
        new(name, leastRole, HttpStatusCode.OK, s => new HttpRequestMessage(HttpMethod.Get, path(s)));

    private static Endpoint Json(string name, string leastRole, HttpStatusCode success, HttpMethod method, Func<SeededRegistry, string> path, object body) =>
        new(name, leastRole, success, s => new HttpRequestMessage(method, path(s)) { Content = JsonContent.Create(body, options: JsonSerializerOptions.Web) });
}
