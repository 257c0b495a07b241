using System.Net;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MlOps.IntegrationTests.Registry;

[Collection(BrowserCollection.Name)]
public sealed class RegistryPageTests(BrowserFixture browser)
{
    private const string Model = ChurnScenario.Model;

    [Fact]
    public async Task An_approver_approves_a_pending_promotion_and_sees_the_champion_change()
    {
        await using var registry = await RegistryServer.StartAsync();
        await ChurnScenario.SeedPendingPromotionAsync(registry);
        var page = new RegistryPage(await browser.NewPageAsync(registry.BaseUrl));

        await page.SignInAsync(TestUsers.Ann);

        var card = page.Promotion(Model, "2");
        await Expect(card).ToContainTextAsync("Requested by carl");
        await Expect(card.GetByRole(AriaRole.Columnheader)).ToHaveTextAsync(["Metric", "Champion (v1)", "Challenger (v2)"]);
        await Expect(page.RowCells(card, "f1")).ToHaveTextAsync(["0.7800", "0.8200"]);
        await Expect(page.RowCells(card, "roc_auc")).ToHaveTextAsync(["0.8800", "0.9000"]);
        await Expect(card.GetByRole(AriaRole.Img, new() { Name = $"Bar chart of champion and challenger metrics for {Model}" })).ToBeVisibleAsync();
        await Expect(page.RowCells(page.ModelsTable, Model)).ToHaveTextAsync(["binary", "risk-team", "v1", "—", "2"]);

        await card.GetByLabel("Comment").FillAsync("Better F1 and AUC on the same holdout");
        await card.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();

        await Expect(page.RowCells(page.ModelsTable, Model)).ToHaveTextAsync(["binary", "risk-team", "v2", "—", "2"]);
        await Expect(page.PendingPromotions.GetByRole(AriaRole.Article)).ToHaveCountAsync(0);
        await Expect(page.PendingPromotions).ToContainTextAsync("None.");
        await Expect(page.AuditRows("ann", "champion.promoted")).ToHaveCountAsync(1);
        await Expect(page.AuditRows("ann", "promotion.approved")).ToContainTextAsync("Better F1 and AUC on the same holdout");
        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();

        using var api = new RegistryApi(registry, TestUsers.Vic);
        Assert.Equal("2", await api.ChampionAsync(Model));
    }

    [Fact]
    public async Task A_viewer_sees_no_approve_button_and_a_forged_post_is_forbidden()
    {
        await using var registry = await RegistryServer.StartAsync();
        string promotionId = await ChurnScenario.SeedPendingPromotionAsync(registry);
        var page = new RegistryPage(await browser.NewPageAsync(registry.BaseUrl));

        await page.SignInAsync(TestUsers.Vic);

        var card = page.Promotion(Model, "2");
        await Expect(page.RowCells(card, "f1")).ToHaveTextAsync(["0.7800", "0.8200"]);
        // The card is rendered in one piece, so once its evidence shows, missing controls are really missing.
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Approve" })).ToHaveCountAsync(0);
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Reject" })).ToHaveCountAsync(0);
        await Expect(card.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await Expect(card.GetByLabel("Comment")).ToHaveCountAsync(0);

        var forged = await page.Page.APIRequest.PostAsync($"/api/promotions/{promotionId}/approve", new()
        {
            Headers = new Dictionary<string, string> { ["X-Api-Key"] = TestUsers.Vic.Key },
            DataObject = new { comment = "forged" },
        });
        Assert.Equal((int)HttpStatusCode.Forbidden, forged.Status);
        Assert.StartsWith("application/problem+json", forged.Headers["content-type"], StringComparison.Ordinal);
        var problem = await forged.JsonAsync();
        Assert.Equal(403, problem!.Value.GetProperty("status").GetInt32());
        Assert.Contains("viewer", problem.Value.GetProperty("detail").GetString(), StringComparison.Ordinal);

        using var api = new RegistryApi(registry, TestUsers.Vic);
        Assert.Equal("1", await api.ChampionAsync(Model));
        Assert.Equal("pending", await api.PromotionStateAsync(promotionId));
        await page.Page.ReloadAsync();
        await Expect(page.RowCells(page.ModelsTable, Model)).ToHaveTextAsync(["binary", "risk-team", "v1", "—", "2"]);
        await Expect(page.Promotion(Model, "2")).ToBeVisibleAsync();
        await Expect(page.AuditTable).Not.ToContainTextAsync("forged");
    }

    [Fact]
    public async Task Every_input_has_a_label_and_every_button_an_accessible_name()
    {
        await using var registry = await RegistryServer.StartAsync();
        await ChurnScenario.SeedPendingPromotionAsync(registry);
        var page = new RegistryPage(await browser.NewPageAsync(registry.BaseUrl));

        await page.SignInAsync(TestUsers.Ann);
        await Expect(page.Promotion(Model, "2")).ToBeVisibleAsync();
        await page.Page.ScreenshotAsync(new() { Path = "/tmp/registry-page.png", FullPage = true });

        var unlabelled = await page.Page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll("input:not([type=hidden]), textarea, select")]
              .filter((e) => e.labels.length === 0 && !e.getAttribute("aria-label") && !e.getAttribute("aria-labelledby"))
              .map((e) => e.outerHTML)
            """);
        Assert.Empty(unlabelled);
        await Expect(page.Page.GetByLabel("API key")).ToHaveCountAsync(1);
        await Expect(page.Promotion(Model, "2").GetByRole(AriaRole.Textbox, new() { Name = "Comment" })).ToHaveCountAsync(1);

        string[] names = ["Sign in", $"Approve promotion of {Model} version 2", $"Reject promotion of {Model} version 2"];
        foreach (string name in names)
            await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true })).ToHaveCountAsync(1);
        // No other button, and none that the accessibility tree leaves out or leaves nameless.
        await Expect(page.Page.Locator("button")).ToHaveCountAsync(names.Length);
        await Expect(page.Page.GetByRole(AriaRole.Button)).ToHaveCountAsync(names.Length);
    }

    [Fact]
    public async Task Retraining_runs_show_their_state_history_and_a_pending_promotion_links_to_its_run()
    {
        await using var registry = await RegistryServer.StartAsync(withOrchestrator: true);
        using var admin = new RegistryApi(registry, TestUsers.Ada);
        using var carl = new RegistryApi(registry, TestUsers.Carl);
        await admin.RegisterModelAsync(Model);
        await admin.RegisterVersionAsync(Model, new Dictionary<string, double> { ["roc_auc"] = 0.88 });
        string v2 = await admin.RegisterVersionAsync(Model, new Dictionary<string, double> { ["roc_auc"] = 0.9 });

        // A run as the saga writes it (the saga's own path is tested in MlOps.Orchestration.Tests and the CLI loop test).
        string runId = Guid.CreateVersion7().ToString("N");
        var at = DateTimeOffset.UtcNow;
        var history = new List<MlOps.Contracts.Retraining.RetrainingHistoryEntry>
        {
            new("Requested", at, "drift: 60 % of features drifted (age, plan, region)"),
            new("Training", at, "training on 5513 labelled examples"),
            new("AwaitingApproval", at, "promotion requested by retraining"),
        };
        await using (var c = await registry.Get<MlOps.Storage.Database>().OpenAsync())
        {
            await registry.Get<MlOps.Storage.Retraining.RetrainingStore>().UpsertRunAsync(c, new MlOps.Storage.Retraining.RunRow
            {
                Id = runId, Model = Model, State = "AwaitingApproval", TriggerKind = "drift", Reason = "drift in window 10:00–10:05", ChallengerVersion = v2,
                HistoryJson = System.Text.Json.JsonSerializer.Serialize(history, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)),
                CreatedAt = at.ToUnixTimeMilliseconds(), UpdatedAt = at.ToUnixTimeMilliseconds(),
            });
        }

        await carl.RequestPromotionAsync(Model, v2, new { evaluationData = "test split" }, notes: $"Retraining run {runId} (drift: …)");
        var page = new RegistryPage(await browser.NewPageAsync(registry.BaseUrl));
        await page.SignInAsync(TestUsers.Ann);

        var runs = page.Page.GetByRole(AriaRole.Table, new() { Name = "Runs of the retraining saga, newest first, with their state history" });
        var row = runs.Locator($"tr[data-run-id='{runId}']");
        await Expect(row).ToContainTextAsync("AwaitingApproval");
        await Expect(row).ToContainTextAsync("v2");
        await page.Promotion(Model, v2).GetByRole(AriaRole.Link, new() { Name = $"Retraining run {runId}" }).ClickAsync();
        Assert.EndsWith($"#run-{runId}", page.Page.Url, StringComparison.Ordinal);
        await row.Locator("summary").ClickAsync();
        await Expect(row.Locator("li")).ToHaveCountAsync(3);
        await Expect(row.Locator("li").Nth(1)).ToContainTextAsync("Training: training on 5513 labelled examples");
    }

    [Fact]
    public async Task A_registry_without_the_orchestrator_says_so_instead_of_an_empty_runs_table()
    {
        await using var registry = await RegistryServer.StartAsync();
        var page = new RegistryPage(await browser.NewPageAsync(registry.BaseUrl));
        await page.SignInAsync(TestUsers.Ann);
        await Expect(page.Page.Locator("#runs-note")).ToHaveTextAsync("This registry runs without the retraining orchestrator.");
        await Expect(page.Page.GetByRole(AriaRole.Alert)).ToBeHiddenAsync();
    }
}
