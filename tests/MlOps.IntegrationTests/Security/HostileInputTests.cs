using System.Text.Json;
using MlOps.Testing.Security;

namespace MlOps.IntegrationTests.Security;

/// <summary>
/// Every string parameter of every endpoint — route values, query parameters, JSON body fields (form parts' JSON
/// included) and the API key header — × every hostile value it must refuse: the base request of the endpoint's row with
/// that one value changed. The answer is a 4xx problem+json (or Kestrel's bodiless refusal of a request line or header
/// it cannot parse), never a 5xx; it leaks nothing and carries no control character in a header; and the store is
/// unchanged. Free text takes SQL, paths, line breaks and bidi marks as text: WritingInputTests shows they
/// are stored as sent.
/// </summary>
[Collection(HostilePlatformCollection.Name)]
public sealed class HostileInputTests(HostilePlatform platform)
{
    public static TheoryData<string, string, string> Cases()
    {
        var cases = new TheoryData<string, string, string>();
        foreach (var row in PlatformEndpoints.All)
        {
            foreach (var slot in Slot.Of(row, MappedEndpoints.Platform.Named(row.Name)))
            {
                // An ignored field of a writing endpoint leaves its request to write: WritingInputTests sends those.
                bool ignoredHere = slot.Class == FieldClass.Ignored && !(row.Writes && slot.Place is SlotPlace.Json or SlotPlace.FormJson);
                foreach (var value in HostileString.All.Where(v => slot.MustRefuse(v) || ignoredHere))
                    cases.Add(row.Name, slot.Name, value.Name);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Each_string_parameter_refuses_a_hostile_value_and_changes_nothing(string endpoint, string slot, string value)
    {
        var row = PlatformEndpoints.Named(endpoint);
        var mapped = platform.Endpoints.Named(endpoint);
        var where = Slot.Of(row, mapped).Single(s => s.Name == slot);
        var hostile = HostileString.Named(value);
        string what = $"{endpoint} with {value} in {slot}";
        var response = await RawHttp.SendAsync(platform.Server, Slot.Write(mapped, row.Base(platform.Seed), platform.KeyOf(row.Caller), where, hostile));

        SafeAnswer.LeaksNothing(response, what, platform.Secrets);
        if (hostile.Text.Length >= 4)
            Assert.DoesNotContain(response.Headers, h => System.Text.Encoding.UTF8.GetString(h.Value).Contains(hostile.Text, StringComparison.Ordinal));
        if (where.Class == FieldClass.Ignored)
        {
            if (where.Place == SlotPlace.Header)
                Assert.True(response.Status == (int)row.Success || SafeAnswer.IsTransportRefusal(response), $"{what}: an endpoint open to all ignores the key; got {response}");
        }
        else if (where.Place == SlotPlace.Header)
        {
            Assert.True(response.Status == 401 || SafeAnswer.IsTransportRefusal(response), $"{what}: expected 401, got {response}");
            if (response.Status == 401)
                SafeAnswer.IsProblem(response, what);
        }
        else if (row.PerRecord && response.Status == 200)
        {
            AssertEveryRecordRejected(response, what);
        }
        else
        {
            SafeAnswer.IsRefusal(response, what, where.TransportMayRefuse);
        }

        await platform.AssertStoreUnchangedAsync(what);
    }

    // Ingest answers 200 with a verdict per record: the hostile record must be rejected, and nothing produced.
    private static void AssertEveryRecordRejected(RawHttp.Response response, string what)
    {
        var verdicts = JsonDocument.Parse(response.Body).RootElement.EnumerateArray().ToList();
        Assert.True(verdicts.Count > 0 && verdicts.All(v => v.GetProperty("status").GetString() == "rejected"), $"{what}: a hostile record must be rejected: {response}");
        Assert.Equal("0", response.Header("X-MlOps-Accepted"));
    }
}
