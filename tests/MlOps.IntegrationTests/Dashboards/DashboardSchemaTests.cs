using System.Diagnostics;

namespace MlOps.IntegrationTests.Dashboards;

/// <summary>
/// Every dashboard is valid against Grafana's own dashboard schema: <c>dashboards/validate.sh</c> generates a JSON
/// Schema from @grafana/schema's TypeScript types (ts-json-schema-generator) and checks each file with Ajv.
/// </summary>
public sealed class DashboardSchemaTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Every_dashboard_is_valid_against_the_Grafana_dashboard_schema()
    {
        var (exitCode, output) = await RunAsync("bash", Path.Combine(DashboardFiles.Folder, "validate.sh"));
        Assert.True(exitCode == 0, $"dashboards/validate.sh exited with {exitCode}:{Environment.NewLine}{output}");
        foreach (string file in DashboardFiles.Expected)
            Assert.Contains($"dashboards/{file}: valid", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = DashboardFiles.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in args)
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cancel = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', args)} did not finish within {Timeout.TotalMinutes} minutes:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
