namespace MlOps.IntegrationTests.Registry;

/// <summary>
/// Seeds the state a reviewer meets: model <c>churn</c> with versions 1 and 2, version 1 champion (as the model's first
/// version, <c>initialChampion: auto</c>), and carl's pending request to promote version 2 with champion-vs-challenger evidence.
/// </summary>
public static class ChurnScenario
{
    public const string Model = "churn";

    public static async Task<string> SeedPendingPromotionAsync(RegistryServer registry)
    {
        using var admin = new RegistryApi(registry, TestUsers.Ada);
        using var carl = new RegistryApi(registry, TestUsers.Carl);

        await admin.RegisterModelAsync(Model);
        string v1 = await admin.RegisterVersionAsync(Model, new Dictionary<string, double> { ["f1"] = 0.78, ["roc_auc"] = 0.88 });
        string v2 = await admin.RegisterVersionAsync(Model, new Dictionary<string, double> { ["f1"] = 0.82, ["roc_auc"] = 0.9 });

        return await carl.RequestPromotionAsync(Model, v2, new
        {
            evaluationData = "holdout",
            challenger = new { version = v2, metrics = new Dictionary<string, double> { ["f1"] = 0.82, ["roc_auc"] = 0.9 } },
            champion = new { version = v1, metrics = new Dictionary<string, double> { ["f1"] = 0.78, ["roc_auc"] = 0.88 } },
        });
    }
}
