using System.Text.Json;

namespace MlOps.Cli.Tests;

/// <summary>Runs <c>mlops</c> in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Out, string Error)> Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = await MlOpsCommand.RunAsync(args, output, error, showProgress: false);
        return (code, output.ToString(), error.ToString());
    }

    public static async Task<JsonElement> Json(params string[] args)
    {
        var (code, output, error) = await Run(args);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonDocument.Parse(output).RootElement;
    }
}
