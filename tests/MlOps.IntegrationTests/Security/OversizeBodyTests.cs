using System.Text;
using MlOps.Testing.Security;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// Every endpoint that takes a body, sent 40 MB (past Kestrel's 30 MB request limit and the ingest endpoints' own
/// 16 MiB) with a Content-Length and chunked without one, by a caller the endpoint admits: 413 problem+json, nothing
/// changed. The answer is read while the body is still being sent, as a client that gives up early would.
/// </summary>
[Collection(HostilePlatformCollection.Name)]
public sealed class OversizeBodyTests(HostilePlatform platform)
{
    private const long Oversize = 40_000_000;

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var row in PlatformEndpoints.All.Where(e => MappedEndpoints.Platform.Named(e.Name).Method is "POST" or "PUT"))
        {
            cases.Add(row.Name, "content-length");
            cases.Add(row.Name, "chunked");
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task An_oversize_body_is_refused_with_413_and_changes_nothing(string endpoint, string framing)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = platform.Endpoints.Named(endpoint);
        var request = Slot.Write(mapped, row.Base(platform.Seed), platform.KeyOf(row.Caller));
        // The base request's headers (key, content type with its boundary) and a body far past every limit that
        // starts well-formed (a JSON string, a form part), so only its size can stop it.
        var oversize = request with { Body = null, StreamedBodyLength = Oversize, Chunked = framing == "chunked", StreamedPrefix = Prefix(row.Base(platform.Seed)) };
        string what = $"{endpoint} with a {Oversize / 1_000_000} MB body ({framing})";

        var response = await RawHttp.SendAsync(platform.Server, oversize);

        Assert.True(response.Status == 413, $"{what}: expected 413, got {response}");
        SafeAnswer.IsProblem(response, what);
        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        await platform.AssertStoreUnchangedAsync(what);
    }

    private static byte[] Prefix(RequestSpec spec) => Encoding.UTF8.GetBytes(spec switch
    {
        { Form: { } form } => $"--{Slot.FormBoundary}\r\nContent-Disposition: form-data; name=\"{form[0].Name}\"; filename=\"big.bin\"\r\nContent-Type: application/octet-stream\r\n\r\n",
        { Json: System.Text.Json.Nodes.JsonArray } => "[{\"predictionId\":\"",
        _ => "{\"notes\":\"",
    });
}
