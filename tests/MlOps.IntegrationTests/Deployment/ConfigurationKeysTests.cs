namespace MlOps.IntegrationTests.Deployment;

/// <summary>The key set the compose and Helm checks compare against is complete, so those checks can fail.</summary>
public sealed class ConfigurationKeysTests
{
    [Fact]
    public void Every_options_class_of_the_platform_is_found()
    {
        var sections = ConfigurationKeys.OptionsTypes.Select(ConfigurationKeys.Section).ToList();
        Assert.Subset(sections.ToHashSet(StringComparer.Ordinal), new HashSet<string?>(StringComparer.Ordinal)
        {
            "MlOps:Storage", "MlOps:Bus", "MlOps:Auth", "MlOps:Registry", "MlOps:Monitoring", "MlOps:Orchestration", "MlOps:Training", "MlOps:Alerts",
        }!);
    }

    [Theory]
    [InlineData("MLOPS__STORAGE__CONNECTIONSTRING")]
    [InlineData("MLOPS__BUS__PASSWORD")]
    [InlineData("MLOPS__AUTH__APIKEYS__3__KEYSHA256")]
    [InlineData("MLOPS__AUTH__JWT__SIGNINGKEY")]
    [InlineData("MLOPS__MONITORING__BOOTSTRAPSERVERS")]
    [InlineData("MLOPS__REGISTRY__KAFKABOOTSTRAPSERVERS")]
    [InlineData("MLOPS__TRAINING__MONITORINGAPIKEY")]
    [InlineData("MLOPS__ALERTS__WEBHOOKS__0__KINDS__2")]
    [InlineData("MLOPS__LOGGING__JSON")]
    [InlineData("MlOps__Orchestration__RegistryUrl")]
    public void Real_keys_are_known(string variable) => Assert.True(ConfigurationKeys.IsKnownEnvironmentVariable(variable), variable);

    [Theory]
    [InlineData("MLOPS__STORAGE__CONNECTION_STRING")]
    [InlineData("MLOPS__MONITORING__REGISTRYKEY")]
    [InlineData("MLOPS__AUTH__APIKEYS__KEYSHA256")]
    [InlineData("MLOPS__ALERTS__WEBHOOKS__0__DISPLAYNAME")]
    [InlineData("MLOPS__BUS")]
    public void Misspelt_or_read_only_keys_are_not(string variable) => Assert.False(ConfigurationKeys.IsKnownEnvironmentVariable(variable), variable);
}
