using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>A Grafana dashboard JSON file of <c>dashboards/</c>, read as JSON nodes (the rules look at raw fields).</summary>
internal sealed class Dashboard(string file, JsonObject json)
{
    public string File { get; } = file;

    public JsonObject Json { get; } = json;

    public string Title => Json["title"]?.GetValue<string>() ?? "";

    /// <summary>"mlops-drift.json ('MlOps / Drift')", the way messages name a dashboard.</summary>
    public string Name => $"{File} ('{Title}')";

    /// <summary>Every panel, those inside rows included; rows themselves are not panels here.</summary>
    public IReadOnlyList<DashboardPanel> Panels =>
    [
        .. Array(Json, "panels").SelectMany(p => Text(p, "type") == "row" ? [p, .. Array(p, "panels")] : new[] { p })
            .Select(p => new DashboardPanel(this, p)),
    ];

    public IReadOnlyList<DashboardVariable> Variables =>
        [.. Array(Json["templating"] as JsonObject, "list").Select(v => new DashboardVariable(v))];

    public IEnumerable<PanelTarget> Targets => Panels.SelectMany(p => p.Targets);

    public DashboardVariable? Variable(string name) => Variables.FirstOrDefault(v => v.Name == name);

    public static IEnumerable<JsonObject> Array(JsonObject? node, string property) =>
        node?[property] is JsonArray items ? items.OfType<JsonObject>() : [];

    public static string Text(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}

/// <summary>A panel; <see cref="Name"/> names it with its dashboard for messages.</summary>
internal sealed class DashboardPanel(Dashboard dashboard, JsonObject json)
{
    public Dashboard Dashboard { get; } = dashboard;

    public JsonObject Json { get; } = json;

    public string Type => Dashboard.Text(Json, "type");

    public string Title => Dashboard.Text(Json, "title");

    public string Description => Dashboard.Text(Json, "description");

    public JsonNode? Id => Json["id"];

    public bool IsRow => Type == "row";

    public string Name => $"{Dashboard.Name}, panel {Id?.ToJsonString() ?? "without id"} '{Title}'";

    public IReadOnlyList<PanelTarget> Targets => [.. Dashboard.Array(Json, "targets").Select(t => new PanelTarget(this, t))];
}

/// <summary>A query of a panel.</summary>
internal sealed class PanelTarget(DashboardPanel panel, JsonObject json)
{
    public DashboardPanel Panel { get; } = panel;

    public JsonObject Json { get; } = json;

    public string RefId => Dashboard.Text(Json, "refId");

    public string Expr => Dashboard.Text(Json, "expr");

    public string Name => $"{Panel.Name}, target {RefId}";
}

/// <summary>A template variable.</summary>
internal sealed class DashboardVariable(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string Name => Dashboard.Text(Json, "name");

    public string Type => Dashboard.Text(Json, "type");

    public string Label => Dashboard.Text(Json, "label");

    /// <summary>The query as a string (Grafana also accepts an object with a <c>query</c> field).</summary>
    public string Query => Json["query"] is JsonObject o ? Dashboard.Text(o, "query") : Dashboard.Text(Json, "query");

    public bool Multi => Json["multi"] is JsonValue v && v.TryGetValue<bool>(out bool b) && b;
}
