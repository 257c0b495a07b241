namespace MlOps.IntegrationTests.Registry;

/// <summary>The API keys every registry under test is started with.</summary>
public static class TestUsers
{
    public static TestUser Ada { get; } = new("ada", "admin", "ada-admin-key-000000000001");

    public static TestUser Ann { get; } = new("ann", "approver", "ann-approver-key-0000000002");

    public static TestUser Bob { get; } = new("bob", "approver", "bob-approver-key-0000000003");

    public static TestUser Carl { get; } = new("carl", "approver", "carl-approver-key-000000004");

    public static TestUser Vic { get; } = new("vic", "viewer", "vic-viewer-key-000000000005");

    public static IReadOnlyList<TestUser> All { get; } = [Ada, Ann, Bob, Carl, Vic];
}
