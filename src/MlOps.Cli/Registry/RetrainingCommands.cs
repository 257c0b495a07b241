using System.CommandLine;
using MlOps.Contracts.Registry;
using MlOps.Contracts.Retraining;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops retrain</c> and <c>mlops retraining list|show</c>: the retraining saga's runs.</summary>
internal static class RetrainingCommands
{
    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    public static Command Retrain(CliContext context)
    {
        var model = new Argument<string>("MODEL") { Description = "The model to retrain" };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded with the run)", HelpName = "R" };
        return new Command("retrain", "Start a retraining run (approver); a run in progress is joined, a refusal by policy is shown with its reason")
        {
            model, reason,
        }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Retraining.RequestAsync(parse.GetRequiredValue(model), parse.GetValue(reason), ct), Json.RetrainingRunResponse, Started));
    }

    public static Command Runs(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "Only this model's runs", HelpName = "M" };
        var list = new Command("list", "Retraining runs, newest first") { model }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Retraining.ListAsync(parse.GetValue(model), ct), Json.IReadOnlyListRetrainingRunResponse, List));
        var id = new Argument<string>("ID") { Description = "The run id" };
        var show = new Command("show", "A run with its state history") { id }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Retraining.GetAsync(parse.GetRequiredValue(id), ct), Json.RetrainingRunResponse, Show));
        return new Command("retraining", "Retraining runs: drift → challenger → approval → champion") { list, show };
    }

    private static void Started(RetrainingRunResponse run, TextWriter output)
    {
        // 202 without a body: the orchestrator had not recorded the request yet.
        if (string.IsNullOrEmpty(run.Id))
        {
            output.WriteLine("requested; the orchestrator has not recorded it yet: see 'mlops retraining list'");
            return;
        }

        var last = run.History.Count > 0 ? run.History[^1] : null;
        output.WriteLine(run.State == RetrainingStates.Skipped
            ? $"run {run.Id} of {run.Model}: {run.Reason}"
            : $"run {run.Id} of {run.Model}: {run.State}{(last is null ? "" : $" — {last.Detail}")}");
    }

    private static void List(IReadOnlyList<RetrainingRunResponse> runs, TextWriter output)
    {
        if (runs.Count == 0)
        {
            output.WriteLine("no retraining runs");
            return;
        }

        var table = new TextTable("id", "model", "state", "trigger", "challenger", "promotion", "started", "updated");
        foreach (var r in runs)
            table.Add(r.Id, r.Model, r.State, r.Trigger, r.ChallengerVersion ?? "-", r.PromotionId ?? "-", Display.Time(r.CreatedAt), Display.Time(r.UpdatedAt));
        output.Write(table.ToString());
    }

    private static void Show(RetrainingRunResponse r, TextWriter output)
    {
        Display.Fields(output,
            ("id", r.Id),
            ("model", r.Model),
            ("state", r.State),
            ("trigger", r.Trigger),
            ("reason", r.Reason),
            ("challenger", r.ChallengerVersion ?? "-"),
            ("promotion", r.PromotionId ?? "-"),
            ("started", Display.Time(r.CreatedAt)));
        output.WriteLine();
        var table = new TextTable("at", "state", "detail");
        foreach (var h in r.History)
            table.Add(Display.Time(h.At), h.State, h.Detail);
        output.Write(table.ToString());
    }
}
