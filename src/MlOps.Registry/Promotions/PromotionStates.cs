namespace MlOps.Registry.Promotions;

/// <summary>The states of a promotion request: pending → approved | rejected | expired | cancelled.</summary>
public static class PromotionStates
{
    public const string Pending = "pending";
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";

    /// <summary>Every state.</summary>
    public static IReadOnlyList<string> All { get; } = [Pending, Approved, Rejected, Expired, Cancelled];
}
