using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOps.Hosting.Security;
using MlOps.Notifications.Delivery;
using MlOps.Storage;
using MlOps.Storage.Alerts;

namespace MlOps.Notifications.Apis;

/// <summary>/api/alerts: the history (platform and Alertmanager alerts, deliveries, attempts) and Alertmanager's webhook.</summary>
internal static class AlertsApi
{
    public static void MapAlertsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/alerts").WithTags("Alerts");
        group.MapGet("/", List).RequireAuthorization(Roles.CanView);
        group.MapPost("/alertmanager", Alertmanager).RequireAuthorization(Roles.CanApprove);
    }

    /// <summary>GET /api/alerts?model=&amp;kind=&amp;limit=: newest first, each with its deliveries and their attempts.</summary>
    private static async Task<IResult> List(string? model, string? kind, int? limit, Database database, AlertStore store, CancellationToken ct)
    {
        if (kind is not null && !AlertKinds.All.Contains(kind))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [$"kind must be one of {string.Join(", ", AlertKinds.All)}."] });
        if (limit is < 1 or > 1000)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["limit"] = ["limit must be within 1..1000."] });
        await using var c = await database.OpenAsync(ct);
        var alerts = await store.ListAsync(c, model, kind, limit ?? 100);
        var deliveries = await store.DeliveriesAsync(c, [.. alerts.Select(a => a.Id)]);
        var attempts = (await store.AttemptsAsync(c, [.. deliveries.Select(d => d.DeliveryId)])).ToLookup(a => a.DeliveryId);
        var byAlert = deliveries.ToLookup(d => d.AlertId);
        var result = new JsonArray();
        foreach (var a in alerts)
        {
            result.Add(new JsonObject
            {
                ["id"] = a.Id,
                ["kind"] = a.Kind,
                ["model"] = a.Model,
                ["feature"] = a.Feature,
                ["eventType"] = a.EventType,
                ["source"] = a.Source,
                ["summary"] = a.Summary,
                ["suppressed"] = a.Suppressed != 0,
                ["createdAt"] = Time(a.CreatedAt),
                ["deliveries"] = new JsonArray([.. byAlert[a.Id].Select(d => (JsonNode)new JsonObject
                {
                    ["receiver"] = d.Receiver,
                    ["deliveryId"] = d.DeliveryId,
                    ["state"] = d.State,
                    ["attempts"] = new JsonArray([.. attempts[d.DeliveryId].Select(t => (JsonNode)new JsonObject
                    {
                        ["attempt"] = t.Attempt,
                        ["at"] = Time(t.At),
                        ["statusCode"] = t.StatusCode,
                        ["error"] = t.Error,
                        ["durationMs"] = t.DurationMs,
                    })]),
                    ["nextAttemptAt"] = d.NextAttemptAt is { } n ? Time(n) : null,
                    ["deliveredAt"] = d.DeliveredAt is { } t2 ? Time(t2) : null,
                    ["lastError"] = d.LastError,
                })]),
            });
        }

        return TypedResults.Text(result.ToJsonString(), "application/json");
    }

    /// <summary>
    /// POST /api/alerts/alertmanager: Alertmanager's webhook payload (<c>{version, status, alerts: [{status, labels,
    /// annotations, startsAt, fingerprint}]}</c>); each firing alert joins the history (kind <c>alertmanager</c>,
    /// feature = its <c>feature</c> label, else its <c>alertname</c>) and goes to the receivers that take that kind.
    /// </summary>
    private static async Task<IResult> Alertmanager(HttpRequest request, AlertRecorder recorder, CancellationToken ct)
    {
        JsonNode? payload;
        try
        {
            payload = await JsonNode.ParseAsync(request.Body, cancellationToken: ct);
        }
        catch (JsonException e)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [$"Not JSON: {e.Message}"] });
        }

        if (payload?["alerts"] is not JsonArray alerts)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["alerts"] = ["An Alertmanager webhook payload has an 'alerts' array."] });
        var recorded = new List<NewAlert>();
        foreach (var alert in alerts.OfType<JsonObject>())
        {
            if ((string?)alert["status"] != "firing")
                continue;
            var labels = alert["labels"] as JsonObject ?? [];
            string name = (string?)labels["alertname"] ?? "unnamed";
            string feature = (string?)labels["feature"] ?? name;
            string model = (string?)labels["model"] ?? "";
            string fingerprint = (string?)alert["fingerprint"] ?? AlertRecorder.Id(labels.ToJsonString(), "");
            string startsAt = (string?)alert["startsAt"] ?? "";
            string summary = (string?)alert["annotations"]?["description"] ?? (string?)alert["annotations"]?["summary"] ?? name;
            recorded.Add(new NewAlert($"am-{fingerprint}-{startsAt}", AlertKinds.Alertmanager, model, feature, name, summary, alert.DeepClone()));
        }

        int sent = await recorder.RecordAsync(recorded, "alertmanager", ct);
        return TypedResults.Ok(new { received = alerts.Count, firing = recorded.Count, sent });
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
