using Microsoft.Extensions.Options;

namespace MlOps.IntegrationTests.Platform;

public sealed class StartupValidationTests
{
    [Theory]
    [InlineData("MlOps:Monitoring:RegistryUrl", "ftp://registry", "MlOps:Monitoring:RegistryUrl: 'ftp://registry' is not an http:// or https:// URL.")]
    [InlineData("MlOps:Monitoring:CheckpointRecords", "0", "MlOps:Monitoring:CheckpointRecords: ")]
    [InlineData("MlOps:Monitoring:ConsumerGroup", "", "MlOps:Monitoring:ConsumerGroup: ")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_its_key(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() =>
            TestPlatform.StartAsync(new Dictionary<string, string?> { [key] = value }, bootstrapServers: "127.0.0.1:9"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
