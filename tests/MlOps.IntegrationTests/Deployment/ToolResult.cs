namespace MlOps.IntegrationTests.Deployment;

/// <summary>How a tool run ended: its exit code and what it printed.</summary>
internal sealed record ToolResult(string Command, int ExitCode, string Output, string Error)
{
    /// <summary>Standard output and error, for a failure message.</summary>
    public string Transcript => $"$ {Command}\n(exit {ExitCode})\n{Output}{Error}";
}
