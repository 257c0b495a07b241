using System.Reflection;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using MlOps.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// The endpoints a host actually maps, read from its <see cref="EndpointDataSource"/>: method, route pattern, the
/// authorization policy, the query parameters of the handler and the type of its JSON body. The tables the tests
/// call from are checked against this, so an endpoint, a parameter or a body field added later cannot be forgotten.
/// </summary>
public sealed class MappedEndpoints
{
    private MappedEndpoints(IReadOnlyList<MappedEndpoint> all) => All = all;

    public IReadOnlyList<MappedEndpoint> All { get; }

    public MappedEndpoint Named(string name) => All.SingleOrDefault(e => e.Name == name)
        ?? throw new Xunit.Sdk.XunitException($"No endpoint '{name}' is mapped; mapped are: {string.Join(", ", All.Select(e => e.Name))}");

    /// <summary>The endpoints of the whole platform, read once from a host composed like <c>mlops up</c> but never started (so tests can be listed before any host runs).</summary>
    public static MappedEndpoints Platform => LazyPlatform.Value;

    private static readonly Lazy<MappedEndpoints> LazyPlatform = new(() => Compose(MlOps.Platform.Services.All));

    public static MappedEndpoints Of(IServiceProvider services) => Of(services.GetRequiredService<EndpointDataSource>().Endpoints);

    private static MappedEndpoints Of(IEnumerable<Endpoint> endpoints) =>
        new([.. endpoints.OfType<RouteEndpoint>().Select(MappedEndpoint.From).OrderBy(e => e.Name, StringComparer.Ordinal)]);

    /// <summary>What a host composed of <paramref name="services"/> maps (built, not started: nothing is opened).</summary>
    public static MappedEndpoints Compose(IReadOnlyList<IMlOpsService> services)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production, Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlOps:Storage:Provider"] = "Sqlite",
            ["MlOps:Storage:ConnectionString"] = "Data Source=:memory:",
            ["MlOps:Bus:Transport"] = "InMemory",
        });
        builder.AddMlOps(services);
        // Not disposed: disposing a host that never started makes MassTransit build its bus on a disposed provider.
        // Nothing was opened, so nothing leaks but memory.
        var app = builder.Build();
        app.MapMlOps();
        // Before the app starts, its endpoints are in its own data sources, not yet in the routing's composite.
        return Of(((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints));
    }
}

/// <summary>One mapped endpoint.</summary>
public sealed record MappedEndpoint(string Name, string Method, RoutePattern Pattern, string? Policy, IReadOnlyList<string> QueryParameters, Type? BodyType)
{
    public IReadOnlyList<string> RouteParameters => [.. Pattern.Parameters.Select(p => p.Name)];

    /// <summary>The path with these route values, each escaped as a client escapes it (or as given, with <paramref name="raw"/>).</summary>
    public string Path(IReadOnlyDictionary<string, string> values, string? raw = null, string? rawParameter = null)
    {
        var path = new System.Text.StringBuilder();
        foreach (var segment in Pattern.PathSegments)
        {
            path.Append('/');
            foreach (var part in segment.Parts)
            {
                path.Append(part switch
                {
                    RoutePatternLiteralPart literal => literal.Content,
                    RoutePatternSeparatorPart separator => separator.Content,
                    RoutePatternParameterPart p when p.Name == rawParameter => raw,
                    RoutePatternParameterPart p => Uri.EscapeDataString(values.TryGetValue(p.Name, out var v) ? v : throw new Xunit.Sdk.XunitException($"{Name}: no value for route parameter '{p.Name}'")),
                    _ => throw new NotSupportedException(part.GetType().Name),
                });
            }
        }

        if (Pattern.RawText?.EndsWith('/') == true && Pattern.PathSegments.Count > 0)
            path.Append('/');
        return path.Length == 0 ? "/" : path.ToString();
    }

    public static MappedEndpoint From(RouteEndpoint endpoint)
    {
        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
        string method = methods is null ? "ANY" : string.Join(",", methods);
        string pattern = endpoint.RoutePattern.RawText ?? "";
        var policies = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        string? policy = endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null || policies.Count == 0 ? null : string.Join("+", policies);
        var route = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var handler = endpoint.Metadata.GetMetadata<MethodInfo>();
        List<string> query = [.. (handler?.GetParameters() ?? []).Where(p => IsSimple(p.ParameterType) && !route.Contains(p.Name!)).Select(p => p.Name!)];
        return new MappedEndpoint($"{method} {pattern}", method, endpoint.RoutePattern, policy, query, endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
    }

    // What minimal APIs bind from the query when the route does not name it.
    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type == typeof(string) || type.IsPrimitive || type.IsEnum || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(Guid) || type == typeof(decimal);
    }

    public override string ToString() => Name;
}
