using System.CommandLine;
using System.Net.Sockets;
using MlOps.Client;
using MlOps.Client.Platform;
using MlOps.Client.Registry;

namespace MlOps.Cli.Registry;

/// <summary>
/// Gives a registry command its shared options and an async action with the CLI's error contract: one line
/// <c>mlops: error: …</c> and exit code 2 for anything the user can fix, never a stack trace, never the key.
/// </summary>
internal static class RegistryAction
{
    /// <summary>How long an ordinary request may take; uploads take as long as the file takes.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    public static Command WithRegistryAction(this Command command, CliContext context, Func<ParseResult, RegistryCall, CancellationToken, Task> run, bool upload = false)
    {
        var options = new RegistryOptions();
        options.AddTo(command);
        command.SetAction((parse, cancellationToken) => context.RunAsync(async () =>
        {
            var endpoint = options.Endpoint(parse);
            using var http = RegistryClient.CreateHttpClient(endpoint.BaseAddress, endpoint.ApiKey);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (!upload)
                deadline.CancelAfter(RequestTimeout);
            try
            {
                await run(parse, new RegistryCall(new RegistryClient(http), new RetrainingClient(http), options.Format(parse), context.Out), deadline.Token);
            }
            catch (MlOpsApiException e)
            {
                throw new InputException(e.UnexpectedBody
                    ? $"{endpoint.Display} did not answer with registry JSON; is --registry the model registry's URL?"
                    : RegistryErrors.Describe(e, endpoint.ApiKey is not null));
            }
            catch (HttpRequestException e)
            {
                throw new InputException(Unreachable(endpoint, e));
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new InputException($"the registry at {endpoint.Display} did not answer within {RequestTimeout.TotalSeconds:0} s");
            }

            return ExitCodes.Ok;
        }));
        return command;
    }

    private static string Unreachable(RegistryEndpoint endpoint, HttpRequestException e)
    {
        string hint = $"start it, or point to it with --registry URL (or {RegistryOptions.UrlVariable})";
        var socket = e.InnerException as SocketException ?? e.InnerException?.InnerException as SocketException;
        return (e.HttpRequestError, socket?.SocketErrorCode) switch
        {
            (_, SocketError.ConnectionRefused) => $"cannot connect to the registry at {endpoint.Display}: connection refused; {hint}",
            (HttpRequestError.NameResolutionError, _) => $"cannot connect to the registry at {endpoint.Display}: unknown host '{endpoint.BaseAddress.Host}'; check --registry URL (or {RegistryOptions.UrlVariable})",
            (HttpRequestError.SecureConnectionError, _) => $"cannot connect to the registry at {endpoint.Display}: TLS failed ({OneLine(e.InnerException?.Message ?? e.Message)}); check --registry URL",
            _ => $"cannot reach the registry at {endpoint.Display}: {OneLine(e.Message)}; {hint}",
        };
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
