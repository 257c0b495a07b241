using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using MlOps.Contracts.Registry;
using MlOps.Hosting.Problems;
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
        if (model is not null && !ModelNames.IsValid(model))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["model"] = [$"A model name is {ModelNames.Rule}."] });
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
    /// Every string of the payload is held to <see cref="RequestText"/> before anything is read (an alert's JSON is
    /// stored whole); the alert name, which becomes the webhook's <c>X-MlOps-Event</c> header, is a Prometheus-style name, and
    /// the fields that key the history are at most <see cref="MaxKeyLength"/> characters.
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
            return Invalid("body", $"Not JSON: {e.Message}");
        }

        if (payload?["alerts"] is not JsonArray alerts)
            return Invalid("alerts", "An Alertmanager webhook payload has an 'alerts' array.");
        if (RefusedString(payload, "$") is { } refused)
            return Invalid(refused.Path, refused.Problem);
        var recorded = new List<NewAlert>();
        for (int i = 0; i < alerts.Count; i++)
        {
            if (alerts[i] is not JsonObject alert || Text(alert["status"]) != "firing")
                continue;
            var labels = alert["labels"] as JsonObject ?? [];
            string name = Text(labels["alertname"]) ?? "unnamed";
            if (name.Length > MaxKeyLength || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':' or '.' or '-'))
                return Invalid($"alerts[{i}].labels.alertname", $"An alert name is letters, digits, '_', ':', '.' or '-', at most {MaxKeyLength} characters.");
            string feature = Text(labels["feature"]) ?? name;
            string model = Text(labels["model"]) ?? "";
            string fingerprint = Text(alert["fingerprint"]) ?? AlertRecorder.Id(labels.ToJsonString(), "");
            string startsAt = Text(alert["startsAt"]) ?? "";
            foreach (var (field, value) in new[] { ("labels.feature", feature), ("labels.model", model), ("fingerprint", fingerprint), ("startsAt", startsAt) })
            {
                if (value.Length > MaxKeyLength)
                    return Invalid($"alerts[{i}].{field}", $"{field} is {value.Length} characters long; the limit is {MaxKeyLength}.");
            }

            string summary = Text(alert["annotations"]?["description"]) ?? Text(alert["annotations"]?["summary"]) ?? name;
            recorded.Add(new NewAlert($"am-{fingerprint}-{startsAt}", AlertKinds.Alertmanager, model, feature, name, summary, alert.DeepClone()));
        }

        int sent = await recorder.RecordAsync(recorded, "alertmanager", ct);
        return TypedResults.Ok(new { received = alerts.Count, firing = recorded.Count, sent });
    }

    // The alert name, model, feature, fingerprint and start key the history (and its indexes).
    private const int MaxKeyLength = 200;

    private static IResult Invalid(string field, string problem) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [problem] });

    // A string value, or null for anything else (a number where Alertmanager sends a string is ignored like a missing field).
    private static string? Text(JsonNode? node) => node is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    // The first string (value or property name) of the payload that RequestText refuses or that is not valid UTF-8.
    private static (string Path, string Problem)? RefusedString(JsonNode? node, string path)
    {
        try
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, child) in obj)
                    {
                        if (RequestText.Problem(key) is { } problem)
                            return ($"{path}.{key[..Math.Min(key.Length, 64)]}", $"A property name {problem}.");
                        if (RefusedString(child, $"{path}.{key}") is { } inner)
                            return inner;
                    }

                    return null;
                case JsonArray array:
                    for (int i = 0; i < array.Count; i++)
                    {
                        if (RefusedString(array[i], $"{path}[{i}]") is { } inner)
                            return inner;
                    }

                    return null;
                case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                    return RequestText.Problem(value.GetValue<string>()) is { } refused ? (path, $"The value {refused}.") : null;
                default:
                    return null;
            }
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json cannot turn the string into .NET text: bytes that are not UTF-8, or a lone surrogate.
            return (path, "A string is not valid UTF-8 (or escapes a lone surrogate).");
        }
    }

    private static string Time(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
}
