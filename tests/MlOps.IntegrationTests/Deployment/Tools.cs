using System.ComponentModel;
using System.Diagnostics;

namespace MlOps.IntegrationTests.Deployment;

/// <summary>
/// The real tools behind the deployment checks: Helm (fetched by helm/fetch-helm.sh from an npm package) and the compose
/// schema validator (deploy/validate-compose.sh, node + npm). A missing tool fails the test with what to install; no
/// test is ever skipped.
/// </summary>
internal static class Tools
{
    private const string Install = "Install Node.js, npm and unzip (Debian: apt-get install -y nodejs npm unzip), as .ci/run must.";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);
    private static readonly Lazy<Task<string>> HelmPath = new(FetchHelmAsync);

    /// <summary>The Helm binary; the first call fetches it into .cache/helm.</summary>
    public static Task<string> HelmAsync() => HelmPath.Value;

    /// <summary>Runs helm with the repository root as working folder.</summary>
    public static async Task<ToolResult> RunHelmAsync(params string[] arguments) => await RunAsync(await HelmAsync(), arguments);

    /// <summary>Runs helm and fails the test unless it exits with 0; returns its standard output.</summary>
    public static async Task<string> HelmOkAsync(params string[] arguments)
    {
        var result = await RunHelmAsync(arguments);
        Assert.True(result.ExitCode == 0, result.Transcript);
        return result.Output;
    }

    /// <summary>Runs deploy/validate-compose.sh on a file; exit 2 (tooling missing) fails the test with the script's message.</summary>
    public static async Task<ToolResult> ValidateComposeAsync(string path)
    {
        var result = await RunAsync("bash", RepositoryFiles.PathOf(RepositoryFiles.ComposeValidator), path);
        Assert.True(result.ExitCode != 2, $"The compose validator could not run. {Install}\n{result.Transcript}");
        return result;
    }

    /// <summary>Runs a program in the repository root; one that cannot be started fails the test with what to install.</summary>
    public static async Task<ToolResult> RunAsync(string program, params string[] arguments)
    {
        string command = $"{program} {string.Join(' ', arguments)}";
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = RepositoryFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
            start.ArgumentList.Add(argument);

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new Xunit.Sdk.XunitException($"{command} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{program} could not be started ({e.Message}). {Install}");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{command} did not finish within {Timeout.TotalMinutes:0} minutes.");
            }

            return new ToolResult(command, process.ExitCode, await output, await error);
        }
    }

    private static async Task<string> FetchHelmAsync()
    {
        var result = await RunAsync("bash", RepositoryFiles.PathOf(RepositoryFiles.FetchHelm));
        string path = result.Output.Trim();
        if (result.ExitCode != 0 || !File.Exists(path))
            throw new Xunit.Sdk.XunitException($"helm/fetch-helm.sh could not provide Helm. {Install}\n{result.Transcript}");
        return path;
    }
}
