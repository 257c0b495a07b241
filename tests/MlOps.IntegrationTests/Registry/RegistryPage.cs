using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MlOps.IntegrationTests.Registry;

/// <summary>The registry's web page as a person sees it: found by labels, roles and captions, never by CSS structure.</summary>
public sealed class RegistryPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator PendingPromotions => Page.GetByRole(AriaRole.Region, new() { Name = "Pending promotions" });

    public ILocator ModelsTable => Page.GetByRole(AriaRole.Table, new() { Name = "Registered models with their aliases and versions" });

    public ILocator AuditTable => Page.GetByRole(AriaRole.Table, new() { Name = "Every change, newest first" });

    public async Task SignInAsync(TestUser user)
    {
        await Page.GotoAsync("/");
        await Page.GetByLabel("API key").FillAsync(user.Key);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Status)).ToHaveTextAsync($"Signed in as {user.Name} ({user.Role})");
    }

    /// <summary>The card of the pending promotion of <paramref name="model"/> to <paramref name="version"/>.</summary>
    public ILocator Promotion(string model, string version) =>
        PendingPromotions.GetByRole(AriaRole.Article, new() { Name = $"{model}: version {version} → champion" });

    /// <summary>The data cells (after the row header) of the row whose header is <paramref name="header"/>.</summary>
    public ILocator RowCells(ILocator table, string header) =>
        table.GetByRole(AriaRole.Row)
            .Filter(new() { Has = Page.GetByRole(AriaRole.Rowheader, new() { Name = header, Exact = true }) })
            .GetByRole(AriaRole.Cell);

    /// <summary>Audit rows with <paramref name="action"/> by <paramref name="actor"/>.</summary>
    public ILocator AuditRows(string actor, string action) =>
        AuditTable.GetByRole(AriaRole.Row)
            .Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = actor, Exact = true }) })
            .Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = action, Exact = true }) });
}
