using System.Text.Json.Nodes;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// The endpoint table against what the hosts map: an endpoint, a policy or a body field added to the code without a
/// row here fails these, so the role matrix and the hostile-input tests cannot miss it.
/// </summary>
public sealed class EndpointTableTests
{
    private static readonly MappedEndpoints Mapped = MappedEndpoints.Platform;

    [Fact]
    public void Every_mapped_endpoint_has_a_row_and_every_row_is_mapped()
    {
        var mapped = Mapped.All.Select(e => e.Name).ToHashSet();
        var rows = PlatformEndpoints.All.Select(e => e.Name).ToList();
        Assert.Equal(rows.Count, rows.Distinct().Count());
        Assert.True(mapped.SetEquals(rows),
            $"Mapped without a row: {string.Join(", ", mapped.Except(rows))}. Rows of nothing mapped: {string.Join(", ", rows.Except(mapped))}.");
    }

    public static TheoryData<string> Rows() => [.. PlatformEndpoints.All.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_row_names_the_policy_its_endpoint_enforces(string endpoint) =>
        Assert.Equal(Mapped.Named(endpoint).Policy, PlatformEndpoints.Named(endpoint).Policy);

    [Theory]
    [MemberData(nameof(Rows))]
    public void Each_string_field_of_a_body_is_in_the_base_request(string endpoint)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = Mapped.Named(endpoint);
        var spec = row.Base(SampleSeed);
        foreach (var slot in Slot.Of(row, mapped).Where(s => s.Place is SlotPlace.Json or SlotPlace.FormJson))
        {
            var (body, path) = slot.Place == SlotPlace.Json
                ? (spec.Json, slot.Path)
                : (JsonNode.Parse(spec.Form!.Single(p => p.Name == slot.Path.Split(':')[0]).Content), slot.Path[(slot.Path.IndexOf(':', StringComparison.Ordinal) + 1)..]);
            Assert.True(body is not null && BodyPaths.Has(body, path), $"{endpoint}: the base request has no '{slot.Path}', so no test puts a hostile value there.");
        }

        foreach (string free in row.FreeText)
            Assert.Contains(Slot.Of(row, mapped), s => s.Path == free);
    }

    [Fact]
    public void Each_service_alone_maps_only_endpoints_of_the_table()
    {
        var rows = PlatformEndpoints.All.Select(e => e.Name).ToHashSet();
        foreach (var service in MlOps.Platform.Services.All)
        {
            var alone = MappedEndpoints.Compose([service]).All.Select(e => e.Name).ToList();
            Assert.Contains("ANY /health/ready", alone);
            Assert.Contains("ANY /metrics", alone);
            Assert.Empty(alone.Except(rows));
        }
    }

    internal static readonly Seed SampleSeed = new("churn", "idle", "rolled", Seed.UnknownId);
}
