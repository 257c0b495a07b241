namespace MlOps.Client.Registry;

/// <summary>The registry API's routes, relative to the registry URL, with names and ids escaped.</summary>
public static class RegistryPaths
{
    /// <summary><c>api/models</c>.</summary>
    public const string Models = "api/models";

    /// <summary><c>api/promotions</c>.</summary>
    public const string Promotions = "api/promotions";

    /// <summary><c>api/models/{name}</c>.</summary>
    public static string Model(string name) => $"{Models}/{Uri.EscapeDataString(name)}";

    /// <summary><c>api/models/{name}/versions</c>.</summary>
    public static string Versions(string model) => $"{Model(model)}/versions";

    /// <summary><c>api/models/{name}/versions/{version}</c>.</summary>
    public static string Version(string model, string version) => $"{Versions(model)}/{Uri.EscapeDataString(version)}";

    /// <summary><c>api/promotions/{id}</c>.</summary>
    public static string Promotion(string id) => $"{Promotions}/{Uri.EscapeDataString(id)}";

    /// <summary><c>api/promotions?model=&amp;state=</c>.</summary>
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
