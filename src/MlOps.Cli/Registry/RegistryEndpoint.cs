namespace MlOps.Cli.Registry;

/// <summary>Where the registry is and the key to show it. A class, not a record: a record's ToString would print the key.</summary>
internal sealed class RegistryEndpoint
{
    public RegistryEndpoint(Uri url, string? apiKey)
    {
        // Relative API paths resolve under the URL's path, so a registry behind a path prefix works too.
        BaseAddress = url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
        ApiKey = apiKey;
    }

    public Uri BaseAddress { get; }

    public string? ApiKey { get; }

    /// <summary>The URL for messages: without any user:password part.</summary>
    public string Display => BaseAddress.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.Unescaped).TrimEnd('/');
}
