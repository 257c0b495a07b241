using System.Text.Json.Nodes;
using MlOps.Testing.Security;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// The writing half of the hostile-input tests, on a platform of their own: every writing endpoint's base request
/// succeeds (so the refusals of <see cref="HostileInputTests"/> are the hostile value's doing, not a broken base);
/// free text keeps SQL, paths, line breaks and bidi marks exactly as sent; file names are refused or reduced to one
/// that the download's headers can carry; fields an endpoint ignores take anything without a server error.
/// </summary>
public sealed class WritingInputTests(WritablePlatform platform) : IClassFixture<WritablePlatform>
{
    // What free text must keep as sent: SQL, a path (raw and encoded), a line break, a right-to-left override.
    private static readonly HostileString LegalText = new("legal-text", HostileKind.Injection,
        "' OR 1=1 -- '; DROP TABLE models; -- ../../etc/passwd ..%2F..%2Fetc%2Fpasswd a\r\nX-Injected: yes report\u202Efdp.exe");

    public static TheoryData<string> WritingEndpoints() => [.. PlatformEndpoints.All.Where(e => e.Writes).Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(WritingEndpoints))]
    public async Task Each_writing_endpoint_accepts_its_base_request(string endpoint)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var seed = row.Repeats ? platform.Seed : await platform.NewSeedAsync();
        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(platform.Endpoints.Named(endpoint), row.Base(seed), platform.KeyOf(row.Caller)));

        Assert.True(response.Status == (int)row.Success, $"{endpoint}: the base request must succeed ({(int)row.Success}), got {response}");
        if (row.PerRecord)
            Assert.Equal("1", response.Header("X-MlOps-Accepted"));
    }

    public static TheoryData<string, string> FreeTextSlots()
    {
        var cases = new TheoryData<string, string>();
        foreach (var row in PlatformEndpoints.All.Where(e => e.Writes))
        {
            foreach (var slot in Slot.Of(row, MappedEndpoints.Platform.Named(row.Name)).Where(s => s.Class is FieldClass.Text or FieldClass.EventText))
                cases.Add(row.Name, slot.Name);
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(FreeTextSlots))]
    public async Task Free_text_is_stored_as_sent(string endpoint, string slot)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = platform.Endpoints.Named(endpoint);
        var where = Slot.Of(row, mapped).Single(s => s.Name == slot);
        var seed = row.Repeats ? platform.Seed : await platform.NewSeedAsync();
        string what = $"{endpoint} with SQL, paths, a line break and a bidi mark in {slot}";

        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(mapped, row.Base(seed), platform.KeyOf(row.Caller), where, LegalText));

        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        Assert.True(response.Status == (int)row.Success, $"{what}: free text is legal, expected {(int)row.Success}, got {response}");
        if (row.PerRecord)
        {
            Assert.Equal("1", response.Header("X-MlOps-Accepted"));
            return;
        }

        if (row.Unechoed.Contains(where.Path.Split(':')[^1]))
            return;
        var shown = Strings(JsonNode.Parse(response.Body));
        if (row.Readback is { } readback)
            shown.AddRange(Strings(JsonNode.Parse(await platform.As("admin").GetStringAsync(readback(seed).TrimStart('/')))));
        Assert.True(shown.Any(s => s.Contains(LegalText.Text, StringComparison.Ordinal)), $"{what}: the text is not shown back as sent: {response}");
    }

    public static TheoryData<string, string, string> FileNameCases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var row in PlatformEndpoints.All)
        {
            foreach (string part in row.FileNames)
            {
                foreach (var value in HostileString.All)
                    cases.Add(row.Name, part, value.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(FileNameCases))]
    public async Task File_names_are_refused_or_reduced_to_a_safe_name(string endpoint, string part, string value)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = platform.Endpoints.Named(endpoint);
        var where = Slot.Of(row, mapped).Single(s => s.Place == SlotPlace.FileName && s.Path == part);
        string what = $"{endpoint} with {value} as the file name of '{part}'";

        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(mapped, row.Base(platform.Seed), platform.KeyOf(row.Caller), where, HostileString.Named(value)));

        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        if (response.Status is >= 400 and < 500)
        {
            SafeAnswer.IsProblem(response, what);
            return;
        }

        Assert.True(response.Status == (int)row.Success, $"{what}: expected a refusal or {(int)row.Success}, got {response}");
        var stored = JsonNode.Parse(response.Body)!;
        string? download = part switch
        {
            "artifact" => $"/api/models/{stored["model"]}/versions/{stored["version"]}/artifact",
            "dataset" => $"/api/models/{platform.Seed.Idle}/base-dataset",
            _ => null,
        };
        string? name = part switch
        {
            "artifact" => (string?)stored["artifact"]?["fileName"],
            "dataset" => (string?)stored["fileName"],
            _ => null,
        };
        if (download is null)
            return;
        Assert.True(name is { Length: > 0 and <= 255 } && !name.Any(c => char.IsControl(c) || c is '/' or '\\' || IsBidiControl(c)), $"{what}: stored as an unsafe file name '{name}'");
        var file = await RawHttp.SendAsync(platform.Server, RawHttp.Request.Get(download, (Slot.ApiKeyHeader, platform.KeyOf("viewer"))));
        Assert.Equal(200, file.Status);
        SafeAnswer.LeaksNothing(file, $"{what}, downloaded", platform.Secrets);
    }

    public static TheoryData<string, string, string> IgnoredFields()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var row in PlatformEndpoints.All.Where(e => e.Writes))
        {
            foreach (var slot in Slot.Of(row, MappedEndpoints.Platform.Named(row.Name)).Where(s => s.Class == FieldClass.Ignored && s.Place is SlotPlace.Json or SlotPlace.FormJson))
            {
                foreach (var value in HostileString.All)
                    cases.Add(row.Name, slot.Name, value.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(IgnoredFields))]
    public async Task Ignored_fields_take_any_value_without_a_server_error(string endpoint, string slot, string value)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = platform.Endpoints.Named(endpoint);
        var where = Slot.Of(row, mapped).Single(s => s.Name == slot);
        string what = $"{endpoint} with {value} in {slot}";

        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(mapped, row.Base(platform.Seed), platform.KeyOf(row.Caller), where, HostileString.Named(value)));

        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        if (response.Status >= 400)
            SafeAnswer.IsProblem(response, what);
        else
            Assert.Equal((int)row.Success, response.Status);
    }

    private static bool IsBidiControl(char c) => c is '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    // Every string of a JSON document, values and property names.
    private static List<string> Strings(JsonNode? node)
    {
        var all = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (key, child) in o)
                    {
                        all.Add(key);
                        Walk(child);
                    }

                    break;
                case JsonArray a:
                    foreach (var child in a)
                        Walk(child);
                    break;
                case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String:
                    all.Add(v.GetValue<string>());
                    break;
            }
        }

        Walk(node);
        return all;
    }
}
