using static MlOps.Cli.Tests.Registry.RegistryServer;

namespace MlOps.Cli.Tests.Registry;

[Collection(UsesRegistryServer.Name)]
public sealed class RegistryFlowTests(RegistryServer registry) : IDisposable
{
    private readonly TempFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Register_promote_under_four_eyes_and_roll_back()
    {
        // The example schema names model 'churn'; --name wins.
        var registered = await registry.Run(AdminKey, "models", "register", "--name", "churn-flow", "--schema", TempFiles.Example("schema.json"), "--description", "Churn risk", "--owner", "risk-team");
        AssertOk(registered, "registered model churn-flow: binary, 6 features (by admin)");

        string artifact = _files.Write("model-v1.pkl", "weights v1");
        AssertOk(
            await registry.Run(AdminKey, "models", "register-version", "churn-flow", "--artifact", artifact, "--metrics", "f1=0.8,roc_auc=0.9", "--run-id", "run-1", "--tag", "team=risk", "--tag", "data=2026-01"),
            "registered churn-flow version 1: model-v1.pkl, 10 bytes, sha256 ",
            "reference profile: no",
            "version 1 is the champion of churn-flow: its first version (policy initialChampion: auto)");
        var second = await registry.Run(AdminKey, "models", "register-version", "churn-flow", "--artifact", _files.Write("model-v2.pkl", "weights v2!"), "--reference", TempFiles.Example("reference.csv"), "--parent-version", "1", "--metrics", "f1=0.84");
        AssertOk(second, "registered churn-flow version 2: model-v2.pkl, 11 bytes", "reference profile: yes");
        Assert.DoesNotContain("champion", second.Out);

        var versions = (await registry.Json(ViewerKey, "models", "versions", "churn-flow")).EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!);
        Assert.Equal(["1", "2"], versions.Keys.Order());
        Assert.Equal(0.9, versions["1"].GetProperty("metrics").GetProperty("roc_auc").GetDouble());
        Assert.Equal("risk", versions["1"].GetProperty("tags").GetProperty("team").GetString());
        Assert.Equal("run-1", versions["1"].GetProperty("runId").GetString());
        Assert.Equal("1", versions["2"].GetProperty("parentVersion").GetString());
        var table = await registry.Run(ViewerKey, "models", "versions", "churn-flow");
        AssertOk(table, "f1=0.8, roc_auc=0.9", "model-v2.pkl");
        Assert.Matches(@"(?m)^\s*2  \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ  admin\s+model-v2.pkl\s+11  [0-9a-f]{12}  f1=0.84\s+(yes|no)$", table.Out);

        // Alice asks for version 2 with evidence; under four-eyes she may not approve it herself; Bob approves.
        string evidence = _files.Write("evidence.json", """
            { "evaluationData": "holdout 2026-02, 500 rows",
              "challenger": { "version": "2", "metrics": { "f1": 0.84 } },
              "champion": { "version": "1", "metrics": { "f1": 0.80 } } }
            """);
        var requested = await registry.Run(AliceKey, "promotions", "request", "--model", "churn-flow", "--version", "2", "--evidence", evidence, "--notes", "retrained");
        AssertOk(requested, "churn-flow version 2 (champion: 1); needs 1 approval(s)");
        string id = requested.Out.Split(' ')[2].TrimEnd(':');
        var own = await registry.Run(AliceKey, "promotions", "approve", id);
        AssertOneLineError(own, "mlops: error: 403 Forbidden: Four-eyes policy: the requester may not approve their own promotion request.");
        AssertOk(await registry.Run(BobKey, "promotions", "show", id), "holdout 2026-02, 500 rows", "challenger (v2)", "0.84");
        AssertOk(await registry.Run(BobKey, "promotions", "approve", id, "--comment", "looks good"), $"{id}: approved; churn-flow champion is now version 2");
        Assert.Equal("2", (await registry.Json(ViewerKey, "models", "show", "churn-flow")).GetProperty("aliases").GetProperty("champion").GetString());

        // Version 2 misbehaves: the admin rolls back to the previous champion (the initial one).
        AssertOk(await registry.Run(AdminKey, "models", "rollback", "churn-flow", "--reason", "f1 dropped in production"), "churn-flow: champion is now version 1 (rolled back by admin");
        var show = await registry.Run(ViewerKey, "models", "show", "churn-flow");
        AssertOk(show, "champion:", "risk-team", "tenure_months", "first champion automatic");
        Assert.Matches(@"(?m)^champion:\s+1$", show.Out);

        var approved = await registry.Json(ViewerKey, "promotions", "list", "--model", "churn-flow", "--state", "approved");
        Assert.Equal(1, approved.GetArrayLength());
        var list = await registry.Run(ViewerKey, "promotions", "list", "--model", "churn-flow");
        AssertOk(list, "requested by", id);
    }

    [Fact]
    public async Task A_policy_of_two_approvals_keeps_the_request_pending_after_one()
    {
        string policy = _files.Write("policy.json", """{ "approvalsRequired": 2, "expiryHours": 24, "initialChampion": "approval" }""");
        string monitoring = _files.Write("monitoring.json", """{ "windowMinutes": 15, "features": { "age": { "method": "psi", "threshold": 0.2 } } }""");
        AssertOk(await registry.Run(AdminKey, "models", "register", "--name", "churn-two", "--schema", TempFiles.Example("schema.json"), "--policy", policy, "--monitoring", monitoring), "registered model churn-two");
        AssertOk(await registry.Run(ViewerKey, "models", "show", "churn-two"), "2 approval(s), four-eyes on, requests expire after 24 h, first champion by approval", "15-minute windows", "psi");
        var version = await registry.Run(AdminKey, "models", "register-version", "churn-two", "--artifact", _files.Write("m.bin", "x"));
        AssertOk(version, "version 1");
        Assert.DoesNotContain("champion", version.Out);

        string id = (await registry.Json(AliceKey, "promotions", "request", "--model", "churn-two", "--version", "1")).GetProperty("id").GetString()!;
        AssertOk(await registry.Run(BobKey, "promotions", "approve", id), $"{id}: pending; 1/2 approvals");
        AssertOk(await registry.Run(AdminKey, "promotions", "approve", id), $"{id}: approved; churn-two champion is now version 1");
        AssertOk(await registry.Run(ViewerKey, "promotions", "show", id), "approved (2/2 approvals)", "by bob", "by admin");
    }

    [Fact]
    public async Task Reject_and_cancel_close_pending_requests()
    {
        AssertOk(await registry.Run(AdminKey, "models", "register", "--name", "churn-close", "--schema", TempFiles.Example("schema.json")), "registered");
        AssertOk(await registry.Run(AdminKey, "models", "register-version", "churn-close", "--artifact", _files.Write("m.bin", "x")), "version 1");
        AssertOk(await registry.Run(AdminKey, "models", "register-version", "churn-close", "--artifact", _files.Write("m2.bin", "y")), "version 2");

        string rejected = (await registry.Json(AliceKey, "promotions", "request", "--model", "churn-close", "--version", "2")).GetProperty("id").GetString()!;
        AssertOk(await registry.Run(BobKey, "promotions", "reject", rejected, "--comment", "no evidence"), $"{rejected}: rejected by bob");
        string cancelled = (await registry.Json(AliceKey, "promotions", "request", "--model", "churn-close", "--version", "2")).GetProperty("id").GetString()!;
        AssertOk(await registry.Run(AliceKey, "promotions", "cancel", cancelled), $"{cancelled}: cancelled by alice");

        var list = await registry.Json(ViewerKey, "promotions", "list", "--model", "churn-close", "--state", "cancelled");
        Assert.Equal(cancelled, Assert.Single(list.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("no evidence", (await registry.Json(ViewerKey, "promotions", "show", rejected)).GetProperty("decisionComment").GetString());
        Assert.Equal("1", (await registry.Json(ViewerKey, "models", "show", "churn-close")).GetProperty("aliases").GetProperty("champion").GetString());
    }

    [Fact]
    public async Task Json_format_prints_the_api_document_unchanged()
    {
        AssertOk(await registry.Run(AdminKey, "models", "register", "--name", "churn-json", "--schema", TempFiles.Example("schema.json")), "registered");
        using var http = new HttpClient { BaseAddress = new Uri(registry.Url) };
        http.DefaultRequestHeaders.Add("X-Api-Key", ViewerKey);
        string expected = await http.GetStringAsync(new Uri("/api/models/churn-json", UriKind.Relative));

        var (code, output, error) = await registry.Run(ViewerKey, "models", "show", "churn-json", "--format", "json");
        Assert.True(code == 0, error);
        Assert.Equal(expected + "\n", output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task List_tables_show_each_model_with_its_champion()
    {
        AssertOk(await registry.Run(AdminKey, "models", "register", "--name", "churn-list", "--schema", TempFiles.Example("schema.json"), "--owner", "list-team"), "registered");
        var list = await registry.Run(ViewerKey, "models", "list");
        AssertOk(list, "name", "champion", "other aliases");
        Assert.Matches(@"(?m)^churn-list\s+binary\s+list-team\s+-\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$", list.Out);
        var models = await registry.Json(ViewerKey, "models", "list");
        Assert.Contains(models.EnumerateArray(), m => m.GetProperty("name").GetString() == "churn-list");
    }

    private static void AssertOk((int ExitCode, string Out, string Error) result, params string[] expected)
    {
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        foreach (string text in expected)
            Assert.Contains(text, result.Out, StringComparison.Ordinal);
    }

    internal static void AssertOneLineError((int ExitCode, string Out, string Error) result, string expected)
    {
        Assert.Equal(2, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(expected, result.Error.TrimEnd('\r', '\n'));
        Assert.DoesNotContain('\n', result.Error.TrimEnd('\r', '\n'));
    }
}
