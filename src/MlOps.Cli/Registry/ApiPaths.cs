namespace MlOps.Cli.Registry;

/// <summary>The registry API's routes, relative to the registry URL, with names and ids escaped.</summary>
internal static class ApiPaths
{
    public const string Models = "api/models";

    public const string Promotions = "api/promotions";

    public static string Model(string name) => $"{Models}/{Uri.EscapeDataString(name)}";

    public static string Versions(string model) => $"{Model(model)}/versions";

    public static string Rollback(string model) => $"{Model(model)}/rollback";

    public static string Promotion(string id) => $"{Promotions}/{Uri.EscapeDataString(id)}";

    public static string PromotionList(string? model, string? state)
    {
        var query = new List<string>();
        if (!string.IsNullOrWhiteSpace(model))
            query.Add($"model={Uri.EscapeDataString(model)}");
        if (!string.IsNullOrWhiteSpace(state))
            query.Add($"state={Uri.EscapeDataString(state)}");
        return query.Count == 0 ? Promotions : $"{Promotions}?{string.Join('&', query)}";
    }
}
