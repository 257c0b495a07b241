using System.Net;
using MlOps.Hosting.Security;
using MlOps.Registry.Tests.Http;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>
/// Every endpoint × every kind of caller. Authorization does not depend on the database, so this runs on SQLite only.
/// A call that is allowed gets a freshly seeded registry of its own; a refused call never reaches the data, so the
/// refusals share one empty registry (the class fixture), which keeps the cases fast.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.EmptyRegistry empty) : IClassFixture<AuthorizationMatrixTests.EmptyRegistry>
{
    /// <summary>The kinds of caller, and who plays them.</summary>
    private static readonly Dictionary<string, (string Caller, string? Role)> Kinds = new()
    {
        ["no key"] = (Callers.Anonymous, null),
        ["bad key"] = (Callers.Stranger, null),
        ["viewer"] = (Callers.Vera, Roles.Viewer),
        ["producer"] = (Callers.Pat, Roles.Producer),
        ["approver"] = (Callers.Ann, Roles.Approver),
        ["admin"] = (Callers.Root, Roles.Admin),
    };

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var endpoint in Endpoint.All)
        {
            foreach (string kind in Kinds.Keys)
                cases.Add(endpoint.Name, kind);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_endpoint_answers_each_kind_of_caller_as_its_role_allows(string endpoint, string caller)
    {
        var target = Endpoint.Named(endpoint);
        var (who, role) = Kinds[caller];
        var expected = Expected(target, role);

        if (expected is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var refused = await empty.Registry.App.Client(who).SendAsync(target.Build(SeededRegistry.Nothing));
            await HttpAssert.ProblemAsync(refused, expected);
            if (expected == HttpStatusCode.Unauthorized)
                Assert.Contains("ApiKey", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
            return;
        }

        await using var registry = await IsolatedRegistry.StartAsync(StorageProvider.Sqlite);
        var seeded = await SeededRegistry.SeedAsync(registry.Driver);
        var allowed = await registry.App.Client(who).SendAsync(target.Build(seeded));
        await HttpAssert.StatusAsync(allowed, expected);
    }

    private static HttpStatusCode Expected(Endpoint endpoint, string? role)
    {
        if (endpoint.LeastRole is null)
            return endpoint.Success;
        if (role is null)
            return HttpStatusCode.Unauthorized;
        // The producer role may only ingest (a monitoring endpoint): every registry endpoint that needs a role refuses it.
        if (role == Roles.Producer)
            return HttpStatusCode.Forbidden;
        return Rank(role) >= Rank(endpoint.LeastRole) ? endpoint.Success : HttpStatusCode.Forbidden;
    }

    private static int Rank(string role) => Roles.All.ToList().IndexOf(role);

    /// <summary>One registry with no data, for the calls that must be refused before they reach it.</summary>
    public sealed class EmptyRegistry : IAsyncLifetime
    {
        private IsolatedRegistry? _registry;

        public IsolatedRegistry Registry => _registry ?? throw new InvalidOperationException("Not started.");

        public async Task InitializeAsync() => _registry = await IsolatedRegistry.StartAsync(StorageProvider.Sqlite);

        public async Task DisposeAsync()
        {
            if (_registry is not null)
                await _registry.DisposeAsync();
        }
    }
}
