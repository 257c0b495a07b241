namespace MlOps.IntegrationTests.Registry;

/// <summary>A caller configured in the registry under test: name (as it appears in the audit log), role and API key.</summary>
public sealed record TestUser(string Name, string Role, string Key);
