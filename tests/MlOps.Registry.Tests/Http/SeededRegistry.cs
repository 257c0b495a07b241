
namespace MlOps.Registry.Tests.Http;

/// <summary>
/// What the authorization matrix calls against: <c>churn</c> with two versions (champion 1) and a pending request
/// of carl's for version 2; <c>fraud</c> with a pending request of ann's (the approver in the matrix, who may cancel
/// it); <c>spam</c> with a version and no request.
/// </summary>
public sealed record SeededRegistry(string Pending, string PendingOfApprover)
{
    public const string Idle = "spam";

    public string Model => "churn";

    /// <summary>Ids that exist nowhere: enough for calls that must be refused before they reach the data.</summary>
    public static SeededRegistry Nothing { get; } = new("0195f0c1e3d47a0b8c9d0e1f2a3b4c5d", "0195f0c1e3d47a0b8c9d0e1f2a3b4c5e");

    public static async Task<SeededRegistry> SeedAsync(RegistryDriver registry)
    {
        await registry.SeedModelAsync("churn", versions: 2);
        await registry.PromoteAsync("churn", "1");
        string pending = RegistryDriver.Id(await registry.RequestPromotionAsync(Callers.Carl, "churn", "2"));
        await registry.SeedModelAsync("fraud", versions: 1);
        string ofApprover = RegistryDriver.Id(await registry.RequestPromotionAsync(Callers.Ann, "fraud", "1"));
        await registry.RegisterModelAsync(Idle);
        await registry.RegisterVersionAsync(Idle);
        return new SeededRegistry(pending, ofApprover);
    }
}
