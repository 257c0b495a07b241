using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MlOps.Client.Logging;
using MlOps.Client.Serving;

namespace MlOps.Client.Tests;

[Collection(ClientPlatformCollection.Name)]
public sealed class LoggerOptionsTests(ClientPlatformFixture platform)
{
    [Fact]
    public async Task A_missing_bootstrap_setting_stops_start_up_with_a_message_naming_the_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MlOps:Logger:BufferCapacity"] = "0" });
        builder.Services.AddMlOpsLogger(builder.Configuration);
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MlOps:Logger:BootstrapServers", error.Message, StringComparison.Ordinal);
        Assert.Contains("MlOps:Logger:BufferCapacity", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_logger_binds_from_the_MlOps_Logger_section_and_flushes_when_the_host_stops()
    {
        var topics = platform.NewTopics();
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["MlOps:Logger:BootstrapServers"] = platform.BootstrapServers,
            ["MlOps:Logger:PredictionsTopic"] = topics.Predictions,
            ["MlOps:Logger:OutcomesTopic"] = topics.Outcomes,
            ["MlOps:Logger:Linger"] = "00:00:02",
        });
        builder.Services.AddMlOpsLogger(builder.Configuration);
        using var host = builder.Build();
        await host.StartAsync();
        var logger = host.Services.GetRequiredService<MlOpsLogger>();
        Assert.True(logger.LogOutcome("churn", "p-1", "1").IsAccepted);
        await host.StopAsync();
        Assert.Equal(1, logger.Delivered);
    }

    [Fact]
    public async Task A_champion_without_a_model_name_stops_start_up_with_a_message_naming_the_key()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["MlOps:Champion:RegistryUrl"] = "not a url" });
        builder.Services.AddChampionModel<ChurnInput, ChurnOutput>(builder.Configuration);
        using var host = builder.Build();
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());
        Assert.Contains("MlOps:Champion:Model", error.Message, StringComparison.Ordinal);
        Assert.Contains("MlOps:Champion:RegistryUrl", error.Message, StringComparison.Ordinal);
    }
}
