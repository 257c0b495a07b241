using MlOps.Contracts.Registry;
using System.Globalization;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary>The <c>--format table</c> output of the <c>promotions</c> commands.</summary>
internal static class PromotionTables
{
    public static void List(IReadOnlyList<PromotionResponse> promotions, TextWriter output)
    {
        if (promotions.Count == 0)
        {
            output.WriteLine("no promotion requests");
            return;
        }

        var table = new TextTable("id", "model", "version", "champion", "state", "approvals", "requested by", "requested", "expires");
        foreach (var p in promotions)
        {
            table.Add(
                p.Id,
                p.Model,
                p.Version,
                p.ChampionVersion ?? "-",
                p.State,
                Approvals(p),
                p.RequestedBy,
                Display.Time(p.RequestedAt),
                p.State == "pending" ? Display.Time(p.ExpiresAt) : "");
        }

        output.Write(table.ToString());
    }

    public static void Show(PromotionResponse p, TextWriter output)
    {
        var fields = new List<(string, string)>
        {
            ("id", p.Id),
            ("model", $"{p.Model} version {p.Version} (champion when requested: {p.ChampionVersion ?? "none"})"),
            ("state", $"{p.State} ({Approvals(p)} approvals)"),
            ("requested", $"{Display.Time(p.RequestedAt)} by {p.RequestedBy}"),
            ("expires", Display.Time(p.ExpiresAt)),
            ("notes", Display.OrDash(p.Notes)),
        };
        foreach (var a in p.Approvals)
            fields.Add(("approved", $"{Display.Time(a.At)} by {a.Approver}{(string.IsNullOrWhiteSpace(a.Comment) ? "" : $": {a.Comment}")}"));
        if (p.DecidedBy is not null)
            fields.Add(("decided", $"{Display.Time(p.DecidedAt)} by {p.DecidedBy}{(string.IsNullOrWhiteSpace(p.DecisionComment) ? "" : $": {p.DecisionComment}")}"));
        var e = p.Evidence;
        if (e.EvaluationData is { Length: > 0 } data)
            fields.Add(("evaluated on", data));
        if (e.RecentTraffic is { } traffic)
            fields.Add(("recent traffic", $"{traffic.Rows.ToString("N0", CultureInfo.InvariantCulture)} labelled rows"));
        if (e.Drift is { } drift)
            fields.Add(("drift", $"{(drift.DriftedShare is { } s ? s.ToString("P1", CultureInfo.InvariantCulture) : "?")} of features drifted{(drift.DriftedFeatures is { Count: > 0 } f ? $": {string.Join(", ", f)}" : "")}"));
        Display.Fields(output, [.. fields]);

        WriteComparison(output, "evaluation", e.Challenger, e.Champion);
        WriteComparison(output, "recent traffic", e.RecentTraffic?.Challenger, e.RecentTraffic?.Champion);
    }

    public static void Requested(PromotionResponse p, TextWriter output) =>
        output.WriteLine(p.State == "pending"
            ? $"requested promotion {p.Id}: {p.Model} version {p.Version} (champion: {p.ChampionVersion ?? "none"}); needs {p.ApprovalsRequired} approval(s)"
            : $"requested promotion {p.Id}: {p.Model} version {p.Version}; {p.State} by {p.DecidedBy}{(p.DecisionComment is { Length: > 0 } c ? $" ({c})" : "")}");

    public static void Decided(PromotionResponse p, TextWriter output) =>
        output.WriteLine(p.State switch
        {
            "approved" => $"{p.Id}: approved; {p.Model} champion is now version {p.Version}",
            "pending" => $"{p.Id}: pending; {Approvals(p)} approvals",
            _ => $"{p.Id}: {p.State} by {p.DecidedBy}",
        });

    private static string Approvals(PromotionResponse p) => $"{p.Approvals.Count}/{p.ApprovalsRequired}";

    private static void WriteComparison(TextWriter output, string title, MetricSet? challenger, MetricSet? champion)
    {
        if (challenger is null && champion is null)
            return;
        IEnumerable<string> none = [];
        var names = (challenger?.Metrics.Keys ?? none).Union(champion?.Metrics.Keys ?? none, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var table = new TextTable(title, $"challenger{Version(challenger)}", $"champion{Version(champion)}");
        foreach (string name in names)
            table.Add(name, Value(challenger, name), Value(champion, name));
        output.WriteLine();
        output.Write(table.ToString());
    }

    private static string Version(MetricSet? set) => set?.Version is { Length: > 0 } v ? $" (v{v})" : "";

    private static string Value(MetricSet? set, string metric) => set is not null && set.Metrics.TryGetValue(metric, out double v) ? Format.Number(v) : "-";
}
