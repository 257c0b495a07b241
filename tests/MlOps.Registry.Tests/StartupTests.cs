using Microsoft.Extensions.Options;
using MlOps.Storage;

namespace MlOps.Registry.Tests;

/// <summary>A bad setting stops start-up with a message that names the key (storage-independent: SQLite only).</summary>
public sealed class StartupTests
{
    public static TheoryData<string, string, string> BadSettings => new()
    {
        { "MlOps:Auth:ApiKeys:5:Role", "superuser", "MlOps:Auth:ApiKeys:5:Role" },
        { "MlOps:Auth:ApiKeys:5:Key", "short", "MlOps:Auth:ApiKeys:5:Key" },
        { "MlOps:Auth:ApiKeys:5:KeySha256", "abc", "MlOps:Auth:ApiKeys:5" },
        { "MlOps:Registry:ExpirySweepInterval", "00:00:00.1", "ExpirySweepInterval" },
        { "MlOps:Registry:MaxArtifactBytes", "0", "MaxArtifactBytes" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MlOps:Auth:ApiKeys:5:Name"] = "mallory",
            ["MlOps:Auth:ApiKeys:5:Role"] = "viewer",
            ["MlOps:Auth:ApiKeys:5:Key"] = "mallory-key-0123456789",
        };
        settings[key] = value;
        if (key.EndsWith("KeySha256", StringComparison.Ordinal))
            settings.Remove("MlOps:Auth:ApiKeys:5:Key");

        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var registry = await IsolatedRegistry.StartAsync(StorageProvider.Sqlite, settings);
        });

        Assert.Contains(named, failure.Message, StringComparison.Ordinal);
    }
}
