using MlOps.Contracts.Registry;
using System.Globalization;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary>The <c>--format table</c> output of the <c>models</c> commands.</summary>
internal static class ModelTables
{
    private const string Champion = "champion";

    public static void List(IReadOnlyList<ModelResponse> models, TextWriter output)
    {
        if (models.Count == 0)
        {
            output.WriteLine("no models registered");
            return;
        }

        var table = new TextTable("name", "task", "owner", "champion", "other aliases", "updated");
        foreach (var m in models)
            table.Add(m.Name, m.Task, m.Owner, ChampionOf(m), OtherAliases(m), Display.Time(m.UpdatedAt));
        output.Write(table.ToString());
    }

    private static string Retraining(MlOps.Contracts.Retraining.RetrainingPolicy r) => string.Create(CultureInfo.InvariantCulture,
        $"{(r.AutoTrigger ? "on drift or degraded metrics" : "by hand only")}, cool-down {Format.Number(r.CooldownHours)} h, needs {r.MinLabelledRows} labelled rows in {Format.Number(r.TrainingWindowDays)} days; {(r.Trainers.Count == 0 ? "all trainers" : string.Join("/", r.Trainers))}, {r.Folds} folds, {r.Trials} trials in {r.TimeBudgetSeconds} s, seed {r.Seed}");

    public static void Show(ModelResponse model, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        var m = model.Monitoring;
        var p = model.Policy;
        string classes = model.Schema.Classes is { Count: > 0 } cs ? $"; classes {string.Join(", ", cs)}" : "";
        string positive = model.Schema.PositiveClass is { } pc ? $"positive class {pc}" : "";
        string task = positive.Length + classes.Length == 0 ? model.Task : $"{model.Task} ({(positive + classes).TrimStart(';', ' ')})";
        string autoApprove = p.AutoApprove is { Enabled: true } a
            ? $"auto-approve when {a.PrimaryMetric} improves by >= {Format.Number(a.Margin)}"
            : "auto-approve off";
        Display.Fields(
            output,
            ("name", model.Name),
            ("description", Display.OrDash(model.Description)),
            ("owner", Display.OrDash(model.Owner)),
            ("task", task),
            ("champion", ChampionOf(model)),
            ("other aliases", Display.OrDash(OtherAliases(model))),
            ("created", $"{Display.Time(model.CreatedAt)} by {model.CreatedBy}"),
            ("monitoring", string.Create(c, $"{m.WindowMinutes}-minute windows{(m.CountTrigger > 0 ? $" (or every {m.CountTrigger} predictions)" : "")}, {m.AllowedLatenessMinutes} min allowed lateness, dataset drift at {m.DatasetDriftShare:P0} of features")),
            ("policy", string.Create(c, $"{p.ApprovalsRequired} approval(s), four-eyes {(p.FourEyes ? "on" : "off")}, requests expire after {Format.Number(p.ExpiryHours)} h, first champion {(p.InitialChampion == InitialChampion.Auto ? "automatic" : "by approval")}, {autoApprove}")),
            ("retraining", Retraining(model.Retraining)));
        output.WriteLine();

        var features = new TextTable("feature", "type", "required", "drift method", "threshold");
        foreach (var f in model.Schema.Features)
        {
            var o = m.Features.GetValueOrDefault(f.Name);
            features.Add(f.Name, f.Type.ToString().ToLowerInvariant(), f.Required ? "yes" : "no", o?.Method ?? "auto", o?.Threshold is { } t ? Format.Number(t) : "default");
        }

        output.Write(features.ToString());
    }

    public static void Versions(IReadOnlyList<VersionResponse> versions, TextWriter output)
    {
        if (versions.Count == 0)
        {
            output.WriteLine("no versions registered");
            return;
        }

        var table = new TextTable("version", "created", "by", "artifact", "bytes", "sha256", "metrics", "reference", "aliases");
        foreach (var v in versions)
        {
            table.Add(
                v.Version,
                Display.Time(v.CreatedAt),
                v.CreatedBy,
                v.Artifact.FileName,
                Display.Bytes(v.Artifact.Size),
                Short(v.Artifact.Sha256),
                Display.Metrics(v.Metrics),
                v.HasReferenceProfile ? "yes" : "no",
                string.Join(", ", v.Aliases));
        }

        output.Write(table.ToString());
    }

    public static void Registered(ModelResponse model, TextWriter output) =>
        output.WriteLine($"registered model {model.Name}: {model.Task}, {model.Schema.Features.Count} features (by {model.CreatedBy})");

    public static void VersionRegistered(VersionResponse v, TextWriter output)
    {
        output.WriteLine($"registered {v.Model} version {v.Version}: {v.Artifact.FileName}, {Display.Bytes(v.Artifact.Size)} bytes, sha256 {Short(v.Artifact.Sha256)}, reference profile: {(v.HasReferenceProfile ? "yes" : "no")}");
        if (v.Aliases.Contains("champion"))
            output.WriteLine($"version {v.Version} is the champion of {v.Model}: its first version (policy initialChampion: auto)");
    }

    public static void RolledBack(AliasResponse alias, TextWriter output) =>
        output.WriteLine($"{alias.Model}: champion is now version {alias.Version} (rolled back by {alias.UpdatedBy} at {Display.Time(alias.UpdatedAt)})");

    // Versions are numbers (right-aligned); "-" for none aligns with them. Empty text cells stay empty.
    private static string ChampionOf(ModelResponse m) => m.Aliases.TryGetValue(Champion, out string? v) ? v : "-";

    private static string OtherAliases(ModelResponse m)
    {
        var others = m.Aliases.Where(a => a.Key != Champion).OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value}").ToList();
        return string.Join(", ", others);
    }

    private static string Short(string sha256) => sha256.Length > 12 ? sha256[..12] : sha256;
}
