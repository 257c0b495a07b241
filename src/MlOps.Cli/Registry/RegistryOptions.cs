using System.CommandLine;
using MlOps.Cli.Output;

namespace MlOps.Cli.Registry;

/// <summary>
/// The options every registry command takes: <c>--registry</c>, <c>--api-key</c> and <c>--format</c>. Defaults come
/// from <c>MLOPS_REGISTRY_URL</c> and <c>MLOPS_API_KEY</c>, read when the command runs so that help never shows the key.
/// </summary>
internal sealed class RegistryOptions
{
    public const string UrlVariable = "MLOPS_REGISTRY_URL";
    public const string KeyVariable = "MLOPS_API_KEY";
    public const string DefaultUrl = "http://127.0.0.1:5080";

    private readonly Option<string?> _registry = new("--registry")
    {
        Description = $"Registry URL (default: ${UrlVariable}, else {DefaultUrl})",
        HelpName = "URL",
    };

    private readonly Option<string?> _apiKey = new("--api-key")
    {
        Description = $"API key sent as X-Api-Key (default: ${KeyVariable}); never printed",
        HelpName = "KEY",
    };

    private readonly Option<string> _format = OutputFormats.CreateOption();

    public void AddTo(Command command)
    {
        command.Options.Add(_registry);
        command.Options.Add(_apiKey);
        command.Options.Add(_format);
    }

    public OutputFormat Format(ParseResult parse) => OutputFormats.Parse(parse.GetValue(_format));

    public RegistryEndpoint Endpoint(ParseResult parse)
    {
        var (url, source) = parse.GetValue(_registry) is { Length: > 0 } given
            ? (given, "--registry")
            : Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } fromEnvironment
                ? (fromEnvironment, UrlVariable)
                : (DefaultUrl, "--registry");
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new InputException($"{source}: '{url}' is not an http:// or https:// URL");

        string? key = parse.GetValue(_apiKey) is { Length: > 0 } k ? k : Environment.GetEnvironmentVariable(KeyVariable);
        return new RegistryEndpoint(uri, string.IsNullOrWhiteSpace(key) ? null : key.Trim());
    }
}
