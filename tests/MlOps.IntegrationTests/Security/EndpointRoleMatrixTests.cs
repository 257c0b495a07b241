using MlOps.Hosting.Security;
using MlOps.Testing.Security;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// Every endpoint of every service × every kind of caller, on the whole platform: no key and an unknown key get 401,
/// a role the policy does not admit gets 403 (both problem+json), an admitted one the endpoint's answer. Endpoints that
/// write are called with a probe that fails past authorization (an unknown model or id), so the matrix changes
/// nothing.
/// </summary>
[Collection(HostilePlatformCollection.Name)]
public sealed class EndpointRoleMatrixTests(HostilePlatform platform)
{
    private const string UnknownKey = "not-a-key-this-platform-knows-0123456789";

    private static readonly string[] Kinds = ["no key", "unknown key", Roles.Viewer, Roles.Producer, Roles.Approver, Roles.Admin];

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var endpoint in PlatformEndpoints.All)
        {
            foreach (string kind in Kinds)
                cases.Add(endpoint.Name, kind);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_endpoint_answers_each_kind_of_caller_as_its_policy_says(string endpoint, string caller)
    {
        var row = PlatformEndpoints.Named(endpoint);
        string? key = caller switch
        {
            "no key" => null,
            "unknown key" => UnknownKey,
            _ => platform.KeyOf(caller),
        };
        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(platform.Endpoints.Named(endpoint), row.ProbeOf(platform.Seed), key));
        string what = $"{endpoint} as {caller}";

        int expected = Expected(row, caller);
        Assert.True(response.Status == expected, $"{what}: expected {expected}, got {response}");
        if (expected is 401 or 403)
            SafeAnswer.IsProblem(response, what);
        if (expected == 401)
            Assert.Contains("ApiKey", response.Header("WWW-Authenticate") ?? "", StringComparison.Ordinal);
        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        await platform.AssertStoreUnchangedAsync(what);
    }

    private static int Expected(PlatformEndpoint row, string caller)
    {
        if (row.Policy is null)
            return (int)row.ProbeSuccess;
        if (caller is "no key" or "unknown key")
            return 401;
        return Admits(row.Policy).Contains(caller) ? (int)row.ProbeSuccess : 403;
    }

    // The roles of each policy, written out here rather than read from SecurityExtensions: the matrix is the spec.
    private static string[] Admits(string policy) => policy switch
    {
        Roles.CanView => [Roles.Viewer, Roles.Approver, Roles.Admin],
        Roles.CanApprove => [Roles.Approver, Roles.Admin],
        Roles.CanAdminister => [Roles.Admin],
        Roles.CanIngest => [Roles.Producer, Roles.Admin],
        _ => throw new Xunit.Sdk.XunitException($"No roles known for policy '{policy}': add it to the matrix."),
    };
}
