using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using MlOps.Contracts.Registry;
using MlOps.Hosting.Security;
using static MlOps.IntegrationTests.Security.FieldClass;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// Every endpoint of every service, once. <see cref="EndpointTableTests"/> fails when the platform maps an endpoint
/// that is not here (or this names one it does not map), so a new endpoint gets its role matrix and hostile-input
/// rows by being added here.
/// </summary>
public static class PlatformEndpoints
{
    public static IReadOnlyList<PlatformEndpoint> All { get; } =
    [
        // Hosting: health and metrics on every host.
        Page("ANY /health/live"),
        Page("ANY /health/ready"),
        Page("ANY /metrics"),

        // Registry.
        Get("GET /api/models/", Roles.CanView),
        new("POST /api/models/", Roles.CanAdminister, HttpStatusCode.Created, s => new() { Json = NewModel($"{s.Model}-{Guid.NewGuid():N}") })
        {
            Writes = true,
            Repeats = true,
            Probe = s => new() { Json = NewModel(s.Model) },
            ProbeStatus = HttpStatusCode.Conflict,
            FreeText = Set("description", "owner", "schema.classes[0]", "schema.features[0].name", "policy.autoApprove.primaryMetric", "policy.autoApprove.guardrails.{key}"),
        },
        Get("GET /api/models/{name}", Roles.CanView, s => Route(("name", s.Model))),
        Get("GET /api/models/{name}/versions", Roles.CanView, s => Route(("name", s.Model))),
        new("POST /api/models/{name}/versions", Roles.CanAdminister, HttpStatusCode.Created, s => new() { Route = Route(("name", s.Model)), Form = VersionForm() })
        {
            Writes = true,
            Repeats = true,
            Probe = s => new() { Route = Route(("name", Seed.UnknownModel)), Form = VersionForm() },
            ProbeStatus = HttpStatusCode.NotFound,
            FormJsonTypes = new Dictionary<string, Type> { ["metadata"] = typeof(RegisterVersionMetadata) },
            FreeText = Set("metadata:metrics.{key}", "metadata:runId", "metadata:tags.{key}", "metadata:tags.*"),
            FileNames = ["artifact", "reference"],
        },
        Get("GET /api/models/{name}/versions/{version}", Roles.CanView, s => Route(("name", s.Model), ("version", "2"))),
        Get("GET /api/models/{name}/versions/{version}/artifact", Roles.CanView, s => Route(("name", s.Model), ("version", "2"))),
        Get("GET /api/models/{name}/versions/{version}/reference-profile", Roles.CanView, s => Route(("name", s.Model), ("version", "2"))),
        new("PUT /api/models/{name}/aliases/{alias}", Roles.CanAdminister, HttpStatusCode.OK, s => new() { Route = Route(("name", s.Model), ("alias", "staging")), Json = new JsonObject { ["version"] = "2" } })
        {
            Writes = true,
            Repeats = true,
            Probe = s => new() { Route = Route(("name", Seed.UnknownModel), ("alias", "staging")), Json = new JsonObject { ["version"] = "2" } },
            ProbeStatus = HttpStatusCode.NotFound,
        },
        new("POST /api/models/{name}/rollback", Roles.CanAdminister, HttpStatusCode.OK, s => new() { Route = Route(("name", s.Rolled)), Json = new JsonObject { ["version"] = "1", ["reason"] = "regressed" } })
        {
            Writes = true,
            Probe = s => new() { Route = Route(("name", Seed.UnknownModel)), Json = new JsonObject { ["version"] = "1", ["reason"] = "regressed" } },
            ProbeStatus = HttpStatusCode.NotFound,
            FreeText = Set("reason"),
            Readback = s => $"/api/audit?model={s.Rolled}",
        },
        new("PUT /api/models/{name}/base-dataset", Roles.CanAdminister, HttpStatusCode.OK, s => new() { Route = Route(("name", s.Idle)), Form = DatasetForm() })
        {
            Writes = true,
            Repeats = true,
            Probe = s => new() { Route = Route(("name", Seed.UnknownModel)), Form = DatasetForm() },
            ProbeStatus = HttpStatusCode.NotFound,
            FileNames = ["dataset"],
        },
        Get("GET /api/models/{name}/base-dataset", Roles.CanView, s => Route(("name", s.Model))),
        Get("GET /api/models/{name}/base-dataset/info", Roles.CanView, s => Route(("name", s.Model))),
        new("DELETE /api/models/{name}/base-dataset", Roles.CanAdminister, HttpStatusCode.NoContent, s => new() { Route = Route(("name", s.Model)) })
        {
            Writes = true,
            Probe = _ => new() { Route = Route(("name", Seed.UnknownModel)) },
            ProbeStatus = HttpStatusCode.NotFound,
        },
        Get("GET /api/promotions/", Roles.CanView),
        new("POST /api/promotions/", Roles.CanApprove, HttpStatusCode.Created, s => new() { Json = NewPromotion(s.Idle) })
        {
            Writes = true,
            Probe = _ => new() { Json = NewPromotion(Seed.UnknownModel) },
            ProbeStatus = HttpStatusCode.NotFound,
            FreeText = Set("notes", "evidence.evaluationData", "evidence.challenger.version", "evidence.challenger.metrics.{key}", "evidence.champion.version", "evidence.champion.metrics.{key}",
                "evidence.recentTraffic.challenger.version", "evidence.recentTraffic.challenger.metrics.{key}", "evidence.recentTraffic.champion.version", "evidence.recentTraffic.champion.metrics.{key}", "evidence.drift.driftedFeatures[0]"),
        },
        Get("GET /api/promotions/{id}", Roles.CanView, s => Route(("id", s.PendingPromotion))),
        Decision("approve", "approver"),
        Decision("reject", "approver"),
        Decision("cancel", "admin"),
        Get("GET /api/audit", Roles.CanView),
        Get("GET /api/me", Roles.CanView),
        Page("GET /openapi/{documentName:regex(^registry$)}.json", _ => Route(("documentName", "registry"))),
        Page("GET /"),
        Page("GET /app.js"),
        Page("GET /app.css"),

        // Monitoring.
        Get("GET /api/monitoring/models", Roles.CanView),
        Get("GET /api/monitoring/{model}/windows", Roles.CanView, s => Route(("model", s.Model))),
        Get("GET /api/monitoring/{model}/examples/count", Roles.CanView, s => Route(("model", s.Model))),
        Get("GET /api/monitoring/{model}/examples", Roles.CanView, s => Route(("model", s.Model))),
        // No window has closed on the seeded platform: the report's success here is the 404 that says so.
        Get("GET /api/monitoring/{model}/windows/{windowStart}/report", Roles.CanView, s => Route(("model", s.Model), ("windowStart", "2026-01-01T00:00:00Z")), HttpStatusCode.NotFound),
        Page("GET /monitoring"),
        Page("GET /monitoring/monitoring.js"),
        Page("GET /monitoring/charts.js"),
        Page("GET /monitoring/monitoring.css"),
        Page("GET /monitoring/report"),
        Page("GET /monitoring/report.js"),
        new("POST /api/ingest/predictions", Roles.CanIngest, HttpStatusCode.OK, s => new() { Json = new JsonArray(Prediction(s.Model)) })
        {
            Writes = true,
            Repeats = true,
            PerRecord = true,
            Probe = _ => new() { Json = new JsonArray() },
            Fields = new Dictionary<string, FieldClass>
            {
                ["[0].predictionId"] = EventText,
                ["[0].model"] = Name,
                // The event contract takes any version label; the monitor windows an unknown one under its name.
                ["[0].modelVersion"] = EventText,
                ["[0].timestamp"] = Name,
                ["[0].features.plan"] = EventText,
                ["[0].features.{key}"] = Name,
                ["[0].prediction"] = Name,
                ["[0].tags.region"] = EventText,
                ["[0].tags.{key}"] = EventText,
            },
        },
        new("POST /api/ingest/outcomes", Roles.CanIngest, HttpStatusCode.OK, s => new() { Json = new JsonArray(Outcome(s.Model)) })
        {
            Writes = true,
            Repeats = true,
            PerRecord = true,
            Probe = _ => new() { Json = new JsonArray() },
            Fields = new Dictionary<string, FieldClass>
            {
                ["[0].predictionId"] = EventText,
                ["[0].model"] = Name,
                ["[0].timestamp"] = Name,
                ["[0].actual"] = Name,
            },
        },

        // Orchestration.
        new("POST /api/retraining/", Roles.CanApprove, HttpStatusCode.Accepted, s => new() { Json = new JsonObject { ["model"] = s.Model, ["reason"] = "drifted" } })
        {
            Writes = true,
            Repeats = true,
            Probe = _ => new() { Json = new JsonObject { ["model"] = Seed.UnknownModel, ["reason"] = "drifted" } },
            ProbeStatus = HttpStatusCode.NotFound,
            FreeText = Set("reason"),
        },
        Get("GET /api/retraining/", Roles.CanView),
        // No run exists on the seeded platform: its success is the 404 that says so.
        Get("GET /api/retraining/{id}", Roles.CanView, _ => Route(("id", Seed.UnknownId)), HttpStatusCode.NotFound),

        // Notifications.
        Get("GET /api/alerts/", Roles.CanView),
        new("POST /api/alerts/alertmanager", Roles.CanApprove, HttpStatusCode.OK, s => new() { Json = Alertmanager(s.Model) })
        {
            Writes = true,
            Repeats = true,
            Probe = _ => new() { Json = new JsonObject { ["alerts"] = new JsonArray() } },
            Readback = _ => "/api/alerts/?kind=alertmanager&limit=1000",
            // Kept in the stored alert, shown only through the alert's id (a hash) or not at all.
            Unechoed = Set("alerts[0].labels.{key}", "alerts[0].fingerprint", "alerts[0].startsAt"),
            Fields = new Dictionary<string, FieldClass>
            {
                ["version"] = Ignored,
                ["status"] = Ignored,
                ["receiver"] = Ignored,
                ["alerts[0].status"] = Ignored,
                ["alerts[0].labels.alertname"] = Name,
                ["alerts[0].labels.model"] = Text,
                ["alerts[0].labels.feature"] = Text,
                ["alerts[0].labels.{key}"] = Text,
                ["alerts[0].annotations.summary"] = Text,
                ["alerts[0].annotations.description"] = Text,
                ["alerts[0].startsAt"] = Text,
                ["alerts[0].fingerprint"] = Text,
            },
        },
    ];

    public static PlatformEndpoint Named(string name) => All.Single(e => e.Name == name);

    private static PlatformEndpoint Get(string name, string policy, Func<Seed, IReadOnlyDictionary<string, string>>? route = null, HttpStatusCode success = HttpStatusCode.OK) =>
        new(name, policy, success, s => new() { Route = route?.Invoke(s) ?? Route() });

    // Anonymous: health, metrics, OpenAPI and the web pages.
    private static PlatformEndpoint Page(string name, Func<Seed, IReadOnlyDictionary<string, string>>? route = null) =>
        new(name, null, HttpStatusCode.OK, s => new() { Route = route?.Invoke(s) ?? Route() });

    private static PlatformEndpoint Decision(string decision, string caller) =>
        new($"POST /api/promotions/{{id}}/{decision}", Roles.CanApprove, HttpStatusCode.OK, s => new() { Route = Route(("id", s.PendingPromotion)), Json = new JsonObject { ["comment"] = "looked at it" } })
        {
            Caller = caller,
            Writes = true,
            Probe = _ => new() { Route = Route(("id", Seed.UnknownId)), Json = new JsonObject { ["comment"] = "looked at it" } },
            ProbeStatus = HttpStatusCode.NotFound,
            FreeText = Set("comment"),
        };

    private static Dictionary<string, string> Route(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private static HashSet<string> Set(params string[] paths) => [.. paths];

    private static JsonObject NewModel(string name)
    {
        var schema = Seed.Schema();
        schema["model"] = name;
        return new JsonObject
        {
            ["name"] = name,
            ["description"] = "a model",
            ["owner"] = "team-ml",
            ["schema"] = schema,
            ["monitoring"] = new JsonObject { ["features"] = new JsonObject { ["plan"] = new JsonObject { ["method"] = "jensenshannon" } } },
            ["policy"] = new JsonObject
            {
                ["initialChampion"] = "auto",
                ["autoApprove"] = new JsonObject { ["enabled"] = false, ["primaryMetric"] = "roc_auc", ["guardrails"] = new JsonObject { ["accuracy"] = 0.01 } },
            },
            ["retraining"] = new JsonObject { ["trainers"] = new JsonArray("fastTree") },
        };
    }

    private static JsonObject NewPromotion(string model)
    {
        JsonObject Metrics(string version) => new() { ["version"] = version, ["metrics"] = new JsonObject { ["roc_auc"] = 0.8 } };
        return new JsonObject
        {
            ["model"] = model,
            ["version"] = "2",
            ["notes"] = "retrained",
            ["evidence"] = new JsonObject
            {
                ["evaluationData"] = "holdout",
                ["challenger"] = Metrics("2"),
                ["champion"] = Metrics("1"),
                ["recentTraffic"] = new JsonObject { ["rows"] = 100, ["challenger"] = Metrics("2"), ["champion"] = Metrics("1") },
                ["drift"] = new JsonObject { ["driftedShare"] = 0.5, ["driftedFeatures"] = new JsonArray("age") },
            },
        };
    }

    private static List<FormPart> VersionForm() =>
    [
        new("artifact", Encoding.UTF8.GetBytes($"weights {Guid.NewGuid()}"), "model.zip"),
        new("metadata", """{"trainingDataFrom":"2026-01-01T00:00:00Z","trainingDataTo":"2026-02-01T00:00:00Z","metrics":{"accuracy":0.9},"parentVersion":"1","runId":"run-1","tags":{"team":"ml"}}"""u8.ToArray(), ContentType: "application/json"),
        new("reference", Encoding.UTF8.GetBytes(Seed.Csv("label")), "train.csv", "text/csv"),
    ];

    private static List<FormPart> DatasetForm() => [new("dataset", Encoding.UTF8.GetBytes(Seed.Csv()), "base.csv", "text/csv")];

    private static JsonObject Prediction(string model) => new()
    {
        ["schemaVersion"] = 1,
        ["predictionId"] = $"p-{Guid.NewGuid():N}",
        ["model"] = model,
        ["modelVersion"] = "1",
        ["timestamp"] = "2026-12-01T10:00:00Z",
        ["features"] = new JsonObject { ["age"] = 40, ["plan"] = "pro", ["active"] = true },
        ["prediction"] = "1",
        ["score"] = 0.7,
        ["latencyMs"] = 3.5,
        ["tags"] = new JsonObject { ["region"] = "eu" },
    };

    private static JsonObject Outcome(string model) => new()
    {
        ["schemaVersion"] = 1,
        ["predictionId"] = $"p-{Guid.NewGuid():N}",
        ["model"] = model,
        ["timestamp"] = "2026-12-01T11:00:00Z",
        ["actual"] = "1",
    };

    private static JsonObject Alertmanager(string model) => new()
    {
        ["version"] = "4",
        ["status"] = "firing",
        ["receiver"] = "mlops",
        ["alerts"] = new JsonArray(new JsonObject
        {
            ["status"] = "firing",
            ["labels"] = new JsonObject { ["alertname"] = "MlOpsHostile", ["model"] = model, ["feature"] = "age", ["severity"] = "warning" },
            ["annotations"] = new JsonObject { ["summary"] = "summary", ["description"] = "description" },
            ["startsAt"] = "2026-12-01T10:00:00Z",
            ["fingerprint"] = $"fp-{model}",
        }),
    };
}
