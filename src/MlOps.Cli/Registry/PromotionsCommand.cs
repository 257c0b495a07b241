using System.CommandLine;
using MlOps.Contracts.Registry;

namespace MlOps.Cli.Registry;

/// <summary><c>mlops promotions</c>: request that a version becomes champion, and approve, reject or cancel requests.</summary>
internal static class PromotionsCommand
{
    private static readonly RegistryJsonContext Json = RegistryJsonContext.Default;

    private static readonly string[] States = ["pending", "approved", "rejected", "expired", "cancelled"];

    public static Command Create(CliContext context) => new("promotions", "Promotion requests: a version becomes champion after approval")
    {
        List(context),
        Show(context),
        Request(context),
        Decide(context, "approve", "Approve a pending request; with enough approvals the champion moves (approver)"),
        Decide(context, "reject", "Reject a pending request (approver)"),
        Decide(context, "cancel", "Withdraw a pending request (its requester or an admin)"),
    };

    private static Command List(CliContext context)
    {
        var model = new Option<string?>("--model") { Description = "Only this model's requests", HelpName = "M" };
        var state = new Option<string?>("--state") { Description = "Only requests in this state: " + string.Join('|', States) };
        state.AcceptOnlyFromAmong(States);
        return new Command("list", "List promotion requests, newest first") { model, state }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.ListPromotionsAsync(parse.GetValue(model), parse.GetValue(state), ct), Json.IReadOnlyListPromotionResponse, PromotionTables.List));
    }

    private static Command Show(CliContext context)
    {
        var id = IdArgument();
        return new Command("show", "Show a request: state, approvals and the evidence") { id }.WithRegistryAction(context, async (parse, call, ct) =>
            call.Print(await call.Client.GetPromotionAsync(parse.GetRequiredValue(id), ct), Json.PromotionResponse, PromotionTables.Show));
    }

    private static Command Request(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "The model", Required = true, HelpName = "M" };
        var version = new Option<string>("--version") { Description = "The version to promote to champion", Required = true, HelpName = "V" };
        var evidence = new Option<string?>("--evidence") { Description = "Evidence JSON: challenger vs champion metrics, recent traffic, drift", HelpName = "FILE" };
        var notes = new Option<string?>("--notes") { Description = "Why, for the approvers", HelpName = "TEXT" };
        return new Command("request", "Ask for a version to become champion (approver)") { model, version, evidence, notes }.WithRegistryAction(context, async (parse, call, ct) =>
        {
            var body = new PromotionRequestBody
            {
                Model = parse.GetRequiredValue(model),
                Version = parse.GetRequiredValue(version),
                Evidence = parse.GetValue(evidence) is { } file ? UserFiles.Read(file, Json.PromotionEvidence) : null,
                Notes = parse.GetValue(notes),
            };
            call.Print(await call.Client.RequestPromotionAsync(body, ct), Json.PromotionResponse, PromotionTables.Requested);
        });
    }

    private static Command Decide(CliContext context, string action, string description)
    {
        var id = IdArgument();
        var comment = new Option<string?>("--comment") { Description = "A comment for the audit log", HelpName = "TEXT" };
        return new Command(action, description) { id, comment }.WithRegistryAction(context, async (parse, call, ct) =>
        {
            var decided = await call.Client.DecideAsync(parse.GetRequiredValue(id), action, parse.GetValue(comment), ct);
            call.Print(decided, Json.PromotionResponse, PromotionTables.Decided);
        });
    }

    private static Argument<string> IdArgument() => new("id") { Description = "The promotion request's id (see 'mlops promotions list')" };
}
