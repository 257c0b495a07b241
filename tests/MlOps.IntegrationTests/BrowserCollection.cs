namespace MlOps.IntegrationTests;

/// <summary>Tests that drive Chromium: they share one browser process.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
