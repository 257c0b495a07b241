using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Dashboard-level rules of grafana/dashboard-linter (template-datasource-rule, template-job-rule,
/// template-instance-rule, template-label-promql-rule, template-on-time-change-reload, uneditable-dashboard-rule)
/// plus the identity rules MlOps adds. Each returns one message per problem, naming the dashboard.
/// </summary>
internal static partial class DashboardRules
{
    public const int MinimumSchemaVersion = 39;

    /// <summary>Variables Grafana defines itself.</summary>
    public static readonly HashSet<string> GlobalVariables =
        ["__rate_interval", "__interval", "__interval_ms", "__range", "__range_s", "__range_ms", "__from", "__to", "__dashboard"];

    private static readonly HashSet<string> LabelFunctions = ["label_values", "label_names", "metrics", "query_result"];

    public static IEnumerable<string> Identity(Dashboard d)
    {
        string uid = Dashboard.Text(d.Json, "uid");
        if (!Uid().IsMatch(uid))
            yield return $"{d.Name}: uid '{uid}' must be 8 to 40 letters, digits, '-' or '_'";
        if (d.Title.Length == 0)
            yield return $"{d.File}: has no title";
        if (Dashboard.Text(d.Json, "description").Length == 0)
            yield return $"{d.Name}: has no description";
        var tags = d.Json["tags"] as JsonArray;
        if (tags is null || !tags.Any(t => t?.GetValue<string>() == "mlops"))
            yield return $"{d.Name}: tags {tags?.ToJsonString() ?? "(none)"} must include \"mlops\"";
        if (d.Json["schemaVersion"] is not JsonValue version || !version.TryGetValue<int>(out int v) || v < MinimumSchemaVersion)
            yield return $"{d.Name}: schemaVersion {d.Json["schemaVersion"]?.ToJsonString() ?? "(none)"} is older than {MinimumSchemaVersion}";
    }

    public static IEnumerable<string> Uneditable(Dashboard d)
    {
        if (d.Json["editable"] is not JsonValue editable || !editable.TryGetValue<bool>(out bool e) || e)
            yield return $"{d.Name}: is editable, it should say \"editable\": false (provisioned dashboards change in the repository)";
    }

    public static IEnumerable<string> TemplateDatasource(Dashboard d)
    {
        var sources = d.Variables.Where(v => v.Type == "datasource").ToList();
        if (sources.Count != 1)
        {
            yield return $"{d.Name}: has {sources.Count} datasource template variables, needs exactly one";
            yield break;
        }

        var s = sources[0];
        if (s.Name != "datasource")
            yield return $"{d.Name}: the datasource variable is named '{s.Name}', should be 'datasource'";
        if (s.Label != "Data source")
            yield return $"{d.Name}: the datasource variable is labelled '{s.Label}', should be 'Data source'";
        if (s.Query != "prometheus")
            yield return $"{d.Name}: the datasource variable offers '{s.Query}' data sources, should offer 'prometheus'";
    }

    /// <summary>template-job-rule and template-instance-rule: multi-select Prometheus query variables, All = ".+".</summary>
    public static IEnumerable<string> TemplateJobAndInstance(Dashboard d)
    {
        foreach (string name in new[] { "job", "instance" })
        {
            var v = d.Variable(name);
            if (v is null)
            {
                yield return $"{d.Name}: is missing the {name} template variable";
                continue;
            }

            string label = char.ToUpperInvariant(name[0]) + name[1..];
            if (v.Type != "query")
                yield return $"{d.Name}: the {name} variable should be a Prometheus query, is '{v.Type}'";
            if (!UsesDatasourceVariable(v.Json["datasource"]))
                yield return $"{d.Name}: the {name} variable should use datasource '${{datasource}}', uses {v.Json["datasource"]?.ToJsonString() ?? "none"}";
            if (v.Label != label)
                yield return $"{d.Name}: the {name} variable should be labelled '{label}', is '{v.Label}'";
            if (!v.Multi)
                yield return $"{d.Name}: the {name} variable should be a multi select";
            if (Dashboard.Text(v.Json, "allValue") != ".+")
                yield return $"{d.Name}: the {name} variable's allValue should be '.+', is '{Dashboard.Text(v.Json, "allValue")}'";
        }
    }

    /// <summary>template-label-promql-rule: query variables call label_values/label_names/metrics/query_result on valid PromQL of declared series.</summary>
    public static IEnumerable<string> TemplateLabelPromQl(Dashboard d)
    {
        foreach (var v in d.Variables.Where(v => v.Type == "query"))
        {
            string? problem = LabelQueryProblem(v.Query);
            if (problem is not null)
                yield return $"{d.Name}: variable '{v.Name}' query '{v.Query}': {problem}";
        }
    }

    public static IEnumerable<string> TemplateRefreshOnTimeRange(Dashboard d)
    {
        foreach (var v in d.Variables.Where(v => v.Type == "query"))
        {
            string refresh = v.Json["refresh"]?.ToJsonString() ?? "(none)";
            if (refresh != "2")
                yield return $"{d.Name}: variable '{v.Name}' should refresh on time range change (refresh 2), is {refresh}";
        }
    }

    /// <summary>Every $variable used is defined (or Grafana's), and every defined variable is used.</summary>
    public static IEnumerable<string> VariablesDefinedAndUsed(Dashboard d)
    {
        var defined = d.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var texts = d.Targets.Select(t => (Where: t.Name, Text: t.Expr))
            .Concat(d.Variables.Select(v => (Where: $"{d.Name}, variable '{v.Name}'", Text: v.Query + " " + (v.Json["datasource"]?.ToJsonString() ?? ""))))
            .Concat(d.Panels.Select(p => (Where: p.Name, Text: (p.Json["datasource"]?.ToJsonString() ?? "") + string.Concat(p.Targets.Select(t => t.Json["datasource"]?.ToJsonString())))));
        foreach (var (where, text) in texts)
        {
            foreach (string name in References(text))
            {
                used.Add(name);
                if (!defined.Contains(name) && !GlobalVariables.Contains(name))
                    yield return $"{where}: uses ${name}, which the dashboard does not define";
            }
        }

        foreach (string name in defined.Where(n => !used.Contains(n)))
            yield return $"{d.Name}: defines variable '{name}' but no panel or variable uses it";
    }

    public static IEnumerable<string> UniquePanelIds(Dashboard d)
    {
        var all = Dashboard.Array(d.Json, "panels").SelectMany(p => new[] { p }.Concat(Dashboard.Array(p, "panels")));
        foreach (var group in all.GroupBy(p => p["id"]?.ToJsonString() ?? "(none)"))
        {
            if (group.Key == "(none)")
                yield return $"{d.Name}: {group.Count()} panel(s) have no id: {string.Join(", ", group.Select(p => $"'{Dashboard.Text(p, "title")}'"))}";
            else if (group.Count() > 1)
                yield return $"{d.Name}: panel id {group.Key} is used by {string.Join(", ", group.Select(p => $"'{Dashboard.Text(p, "title")}'"))}";
        }
    }

    /// <summary>The names of the variables a text refers to ($name, ${name}, ${name:format}, [[name]]).</summary>
    public static IEnumerable<string> References(string text) =>
        VariableReference().Matches(text).Select(m => m.Groups["name"].Value);

    public static bool UsesDatasourceVariable(JsonNode? datasource) =>
        Dashboard.Text(datasource, "uid") is "${datasource}" or "$datasource";

    private static string? LabelQueryProblem(string query)
    {
        var call = LabelCall().Match(query.Trim());
        if (!call.Success)
            return "not a function call such as label_values(metric, label)";
        string function = call.Groups["function"].Value;
        string args = call.Groups["args"].Value;
        if (!LabelFunctions.Contains(function))
            return $"'{function}' is none of {string.Join(", ", LabelFunctions)}";
        if (function is "metrics" or "label_names")
            return null;
        string selector = args;
        if (function == "label_values")
        {
            int comma = args.LastIndexOf(',');
            string label = (comma < 0 ? args : args[(comma + 1)..]).Trim();
            if (!LabelName().IsMatch(label))
                return $"'{label}' is not a label name";
            if (comma < 0)
                return null;
            selector = args[..comma];
        }

        try
        {
            var node = PromQlParser.Parse(selector);
            if (function == "label_values" && node is not VectorSelector)
                return "label_values needs a series selector as its first argument";
            var unknown = PromQlNode.Walk(node).Select(n => n.Node).OfType<VectorSelector>()
                .Select(s => s.Name).Where(n => n.Length > 0 && !DashboardFiles.DeclaredMetrics.Contains(n)).ToList();
            return unknown.Count > 0 ? $"no metric named {string.Join(", ", unknown)} is declared in src/" : null;
        }
        catch (FormatException e)
        {
            return $"invalid PromQL: {e.Message}";
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{8,40}$")]
    private static partial Regex Uid();

    [GeneratedRegex(@"^(?<function>[a-z_]+)\((?<args>.*)\)$", RegexOptions.Singleline)]
    private static partial Regex LabelCall();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex LabelName();

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z0-9_.]+)(?::[^}]*)?\}|\$(?<name>[A-Za-z0-9_]+)|\[\[(?<name>[^\]]+)\]\]")]
    private static partial Regex VariableReference();
}
